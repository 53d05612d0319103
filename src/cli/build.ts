#!/usr/bin/env node
/** `npm run build`: writes the whole site to _site/ (OUT_DIR overrides) for static hosting. */
import path from 'node:path';
import { hasErrors } from '../content/diagnostics.js';
import { pageSourceBytes } from '../content/contentSize.js';
import { loadContent } from '../content/loadContent.js';
import { ExportError, exportSite } from '../deploy/exportSite.js';
import { renderSnapshot } from '../render/renderSnapshot.js';
import { renderSite } from '../render/siteRenderer.js';
import { ContentWorkers } from '../parallel/contentWorkers.js';
import { WorkerCrashError } from '../parallel/workerPool.js';
import { VIEWS_DIR } from '../paths.js';
import { formatReport } from './report.js';
import { runCommand } from './runCommand.js';

/**
 * Below these, the export runs on this thread alone (see ContentWorkers.inThreadBelowBytes). Workers cost CPU
 * time of their own (loading the code, compiling the templates, pages crossing threads twice): measured on the
 * bench's corpus, 60% more than the whole export at 250 pages and 30% more at 1,000, which two cores repay only
 * from several hundred pages (about 3 KB of Markdown a page).
 */
const SMALL_SITE_BYTES = 2 * 1024 * 1024;
const SMALL_SITE_PAGES = 600;

const USAGE = 'Usage: npm run build [-- --precompress]\n  --precompress  also write .gz and .br files for nginx\n';

runCommand('build', 'export', async (config) => {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--precompress');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option ${unknown[0]}.\n${USAGE}`);
    return 2;
  }
  const started = performance.now();
  // Parsing, rendering and compressing run on worker threads, one per core; this thread assembles and writes the
  // rest. A small site is done here: starting the workers would cost more than they save.
  // Each worker's heap is capped at 64 MB plus 4 MB per MB of pages: two to three times the most it held at 4,000
  // and 16,000 pages of the bench's corpus, where uncapped heaps grew to 200 MB each, most of the export's peak.
  const workers = new ContentWorkers({
    inThreadBelowBytes: SMALL_SITE_BYTES,
    heapLimit: { baseMb: 64, perSourceMb: 4 },
    // Each worker has its next batch before it finishes one: this thread, busy rendering the A to Z list and the
    // search files meanwhile, would otherwise leave the workers waiting for it to hand them out.
    tasksPerWorker: 2,
  });
  try {
    // The workers get ready (code loaded, templates compiled) while this thread reads the folder.
    workers.prestart(await pageSourceBytes(config.contentDir), { viewsDir: VIEWS_DIR });
    const { build } = await loadContent(config.contentDir, Date.now(), { workers });
    if (!build.site || hasErrors(build.diagnostics)) {
      process.stderr.write(
        formatReport(build.diagnostics, `${path.relative(process.cwd(), config.contentDir) || '.'}/`),
      );
      process.stderr.write('Nothing was written: fix the errors above, then build again.\n');
      return 1;
    }
    const site = renderSite(build.site, { siteUrl: config.siteUrl });
    // The pages are rendered, compressed and written by the workers, the rest here meanwhile.
    const context =
      site.pages.size >= SMALL_SITE_PAGES
        ? workers.renderContext(
            renderSnapshot(build.site, site.assets, { siteUrl: config.siteUrl, viewsDir: VIEWS_DIR }),
          )
        : null;
    const written = await exportSite(site, config.outDir, {
      precompress: args.includes('--precompress'),
      ...(context ? { pageWriter: (pages, options) => workers.exportPages(context, pages, options) } : {}),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const megabytes = (written.bytes / 1e6).toFixed(1);
    process.stdout.write(
      `Wrote ${written.files} files (${megabytes} MB) for ${site.pages.size} ` +
        `pages to ${config.outDir} in ${seconds} s\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ExportError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (error instanceof WorkerCrashError) {
      process.stderr.write(`The build stopped: ${error.message}. ${config.outDir} may be incomplete: build again.\n`);
      return 1;
    }
    throw error;
  } finally {
    await workers.close();
  }
});
