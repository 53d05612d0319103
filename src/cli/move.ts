#!/usr/bin/env node
/** `npm run move -- <old> <new>`: moves a page (or a section) and keeps its old address working. */
import path from 'node:path';
import { FsContentStore } from '../store/fsContentStore.js';
import { runMove } from './moveCommand.js';
import { runCommand } from './runCommand.js';

runCommand('move', 'content', async (config) => {
  const store = await FsContentStore.open(config.contentDir);
  const shown = `${path.relative(process.cwd(), config.contentDir) || '.'}/`;
  const outcome = await runMove(process.argv.slice(2), store, Date.now(), shown);
  process.stdout.write(outcome.out);
  process.stderr.write(outcome.err);
  return outcome.code;
});
