#!/usr/bin/env node
/** `npm run check`: validates the content folder without starting a server. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config.js';
import { hasErrors } from '../content/diagnostics.js';
import { loadSite } from '../content/loadSite.js';
import { renderSite } from '../render/renderSite.js';
import { formatReport } from './report.js';

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
  const result = await loadSite(config.contentDir);
  const prefix = `${path.relative(process.cwd(), config.contentDir) || '.'}/`;
  const diagnostics = [...result.diagnostics];
  if (result.site) {
    // Rendering every page also catches template problems.
    renderSite(result.site, { siteUrl: config.siteUrl });
  }
  process.stdout.write(formatReport(diagnostics, prefix));
  return hasErrors(diagnostics) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`check failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
