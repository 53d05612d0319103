#!/usr/bin/env node
/** `npm run build`: writes the whole site to _site/ (OUT_DIR overrides) for static hosting. */
import path from 'node:path';
import type { Config } from '../config/config.js';
import { runCommand } from './runCommand.js';
import { hasErrors } from '../content/diagnostics.js';
import { loadSite } from '../content/loadSite.js';
import { ExportError, exportSite } from '../deploy/exportSite.js';
import { renderSite } from '../render/renderSite.js';
import { PROJECT_ROOT } from '../render/templates.js';
import { formatReport } from './report.js';

async function main(config: Config): Promise<number> {
  const started = performance.now();
  const outDir = process.env.OUT_DIR ? path.resolve(process.env.OUT_DIR) : path.join(PROJECT_ROOT, '_site');
  const precompress = process.argv.includes('--precompress');
  const result = await loadSite(config.contentDir);
  if (!result.site || hasErrors(result.diagnostics)) {
    process.stderr.write(formatReport(result.diagnostics, `${path.relative(process.cwd(), config.contentDir) || '.'}/`));
    process.stderr.write('Nothing was written: fix the errors above, then build again.\n');
    return 1;
  }
  const site = renderSite(result.site, { siteUrl: config.siteUrl });
  try {
    const written = await exportSite(site, outDir, { precompress });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    process.stdout.write(`Wrote ${written.files} files (${(written.bytes / 1e6).toFixed(1)} MB) for ${site.pages.size} pages to ${outDir} in ${seconds} s\n`);
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

runCommand('build', main);
