#!/usr/bin/env node
/** `npm start`: validates the content, then serves it. Exits on SIGTERM/SIGINT after draining. */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config.js';
import { hasErrors } from '../content/diagnostics.js';
import { loadSite } from '../content/loadSite.js';
import { renderSite } from '../render/renderSite.js';
import { createSiteHandler } from '../server/handler.js';
import { listen } from '../server/httpServer.js';
import { createLogger } from '../server/logger.js';
import { formatReport } from './report.js';

async function main(): Promise<number | null> {
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
  const logger = createLogger(config.logLevel);
  const result = await loadSite(config.contentDir);
  if (hasErrors(result.diagnostics) || !result.site) {
    const prefix = `${path.relative(process.cwd(), config.contentDir) || '.'}/`;
    process.stderr.write(formatReport(result.diagnostics, prefix));
    process.stderr.write('The site was not started: fix the errors above, then run npm start again.\n');
    for (const d of result.diagnostics) logger.error({ file: d.file, line: d.line, column: d.column, severity: d.severity }, d.message);
    return 1;
  }
  for (const d of result.diagnostics) logger.warn({ file: d.file, line: d.line, column: d.column }, d.message);
  const site = renderSite(result.site, { siteUrl: config.siteUrl });

  const running = await listen(
    (isDraining) => createSiteHandler({ config, site, logger, isDraining }),
    config,
  );
  const shownHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host) ? 'localhost' : config.host;
  process.stdout.write(`Serving ${site.pages.size} pages at http://${shownHost}:${running.port}/ (press Ctrl+C to stop)\n`);
  logger.info({ port: running.port, host: config.host, pages: site.pages.size }, 'listening');

  const stop = async (signal: string) => {
    if (running.isDraining()) return;
    logger.info({ signal }, 'draining');
    const outcome = await running.drain(config.shutdownTimeoutMs);
    logger.info({ outcome }, 'stopped');
    process.exit(outcome === 'drained' ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  return null;
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`The server could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
