#!/usr/bin/env node
/** `npm run new -- <section>/<slug> "Title"`: creates a draft page with valid front matter. Never overwrites. */
import type { Config } from '../config/config.js';
import { runCommand } from './runCommand.js';
import { runNew } from './newCommand.js';

function main(config: Config): number {
  const outcome = runNew(process.argv.slice(2), config.contentDir, Date.now(), process.cwd());
  process.stdout.write(outcome.out);
  process.stderr.write(outcome.err);
  return outcome.code;
}

runCommand('new', main);
