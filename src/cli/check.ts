#!/usr/bin/env node
/** `npm run check`: validates the content folder without starting a server. */
import { ConfigError, loadConfig } from '../config/config.js';
import { runCheck } from './checkCommand.js';

const USAGE = 'Usage: npm run check [-- --strict]\n  --strict  overdue reviews are errors, not warnings\n';

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--strict');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown[0]}.\n${USAGE}`);
    return 2;
  }
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
  const outcome = await runCheck(config.contentDir, config.siteUrl, process.cwd(), { strict: args.includes('--strict') });
  process.stdout.write(outcome.report);
  return outcome.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`check failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
