#!/usr/bin/env node
// @ts-check
/**
 * Part of `npm run bench` (search): in a fresh process run with --expose-gc,
 * loads a content folder with the built code (dist/), then measures
 *  - the synchronous work a new content version costs the request thread
 *    (LiveSearchIndex.sync: the page-by-page comparison), against loading it;
 *  - building the whole full-text index (the work later done in slices), its
 *    time and the memory it holds (heap and RSS after garbage collection);
 *  - the static export's index file, raw, gzip and brotli;
 *  - a whole results page (search, snippets, layout, gzip) made in this
 *    process, one query after another: its time, without HTTP or queueing.
 * Prints one JSON line. Usage: node --expose-gc search-index-build.mjs <contentDir> <queries.json>
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (/** @type {string} */ p) => import(path.join(ROOT, 'dist', p));
const { loadContent } = await dist('content/loadContent.js');
const { LiveSearchIndex } = await dist('search/liveIndex.js');
const { clientIndexJson } = await dist('search/exportIndex.js');
const { searchPage } = await dist('search/searchPages.js');
const { renderSite } = await dist('render/siteRenderer.js');

const gc = /** @type {() => void} */ (globalThis.gc);
if (typeof gc !== 'function') throw new Error('run with --expose-gc');
const [contentDir, queriesFile] = process.argv.slice(2);
if (!contentDir || !queriesFile) throw new Error('usage: search-index-build.mjs <contentDir> <queries.json>');

let t = performance.now();
const result = (await loadContent(contentDir)).build;
const loadMs = performance.now() - t;
if (!result.site) throw new Error(`the content has errors: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
const site = result.site;

// What a reload adds on the request thread: the comparison, then slices are scheduled.
const background = new LiveSearchIndex({ schedule: () => undefined });
t = performance.now();
background.sync(site);
const syncMs = performance.now() - t;

gc();
gc();
const before = process.memoryUsage();
t = performance.now();
const index = new LiveSearchIndex();
index.syncNow(site);
const buildMs = performance.now() - t;
gc();
gc();
const after = process.memoryUsage();

// Results pages, one after another: each query five times, after one warm-up pass. Every
// time counts for the plain percentiles; each query's best of five gives the work itself,
// without the interruptions a shared machine adds (other tenants, a garbage collection).
const { readFileSync } = await import('node:fs');
/** @type {string[]} */
const queries = JSON.parse(readFileSync(queriesFile, 'utf8'));
const rendered = renderSite(site, { siteUrl: 'https://bench.example' });
const page = (/** @type {string} */ q) => searchPage(rendered, index, q, null).response.bytes('gzip');
for (const q of queries) page(q);
/** @type {number[]} */
const times = [];
const best = new Array(queries.length).fill(Infinity);
const cpu = process.cpuUsage();
for (let round = 0; round < 5; round++) {
  queries.forEach((q, i) => {
    const started = performance.now();
    page(q);
    const ms = performance.now() - started;
    times.push(ms);
    best[i] = Math.min(best[i], ms);
  });
}
const used = process.cpuUsage(cpu);
const at = (/** @type {number[]} */ list, /** @type {number} */ q) =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length * q)];
const resultsPage = {
  p50ms: at(times, 0.5),
  p99ms: at(times, 0.99),
  bestP50ms: at(best, 0.5),
  bestP99ms: at(best, 0.99),
  cpuMs: (used.user + used.system) / 1000 / times.length,
};

const json = Buffer.from(clientIndexJson(site), 'utf8');
const out = {
  pages: site.pages.size,
  loadMs,
  syncMs,
  buildMs,
  heapMb: (after.heapUsed - before.heapUsed) / 2 ** 20,
  rssMb: (after.rss - before.rss) / 2 ** 20,
  resultsPage,
  exportIndex: {
    rawKb: json.length / 1024,
    gzipKb: gzipSync(json, { level: 9 }).length / 1024,
    brotliKb: brotliCompressSync(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length / 1024,
  },
};
// Keep the index alive until measured.
if (index.pending !== 0) throw new Error('index not complete');
process.stdout.write(`${JSON.stringify(out)}\n`);
