#!/usr/bin/env node
/** `npm run check`: validates the content folder without starting a server. */
import { ConfigError, loadConfig } from '../config/config.js';
import { runCheck } from './checkCommand.js';

async function main(): Promise<number> {
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
  const outcome = await runCheck(config.contentDir, config.siteUrl);
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
