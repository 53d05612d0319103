#!/usr/bin/env node
/** `npm run new -- <section>/<slug> "Title"`: creates a draft page with valid front matter. Never overwrites. */
import { ConfigError, loadConfig } from '../config/config.js';
import { runNew } from './newCommand.js';

function main(): number {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const outcome = runNew(process.argv.slice(2), config.contentDir, Date.now(), process.cwd());
  process.stdout.write(outcome.out);
  process.stderr.write(outcome.err);
  return outcome.code;
}

process.exit(main());
