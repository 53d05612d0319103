#!/usr/bin/env node
/** `npm run new -- <section>/<slug> "Title"`: creates a draft page with valid front matter. Never overwrites. */
import { FsContentStore } from '../store/fsContentStore.js';
import { runNew } from './newCommand.js';
import { runCommand } from './runCommand.js';

runCommand('new', 'content', async (config) => {
  const store = await FsContentStore.open(config.contentDir);
  const outcome = await runNew(process.argv.slice(2), store, Date.now(), process.cwd());
  process.stdout.write(outcome.out);
  process.stderr.write(outcome.err);
  return outcome.code;
});
