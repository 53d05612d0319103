#!/usr/bin/env node
/** `npm run check`: validates the content folder without starting a server. */
import { runCheck } from './checkCommand.js';
import { runCommand } from './runCommand.js';

const USAGE =
  'Usage: npm run check [-- --launch]\n' +
  '  --launch  the check before going live: placeholder addresses, overdue reviews, sample documents\n' +
  '            not marked as samples and an accessibility statement older than a year are errors\n' +
  '  --strict  the same as --launch\n';

runCommand('check', 'content', async (config) => {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--strict' && a !== '--launch');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown[0]}.\n${USAGE}`);
    return 2;
  }
  const outcome = await runCheck(config.contentDir, config.siteUrl, process.cwd(), {
    launch: args.includes('--launch') || args.includes('--strict'),
  });
  process.stdout.write(outcome.report);
  return outcome.exitCode;
});
