// Where a server's memory goes: process.memoryUsage() after each stage of
// serving a content folder the way npm start does (workers included), as
// JSON lines. Usage: node --expose-gc memory-stages.mjs <content dir>
// Run by `npm run bench` on the compiled code in dist/.
import { getHeapStatistics } from 'node:v8';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');
const mb = (n) => Math.round((n / 2 ** 20) * 10) / 10;
const stage = (name, extra = {}) => {
  globalThis.gc?.();
  const m = process.memoryUsage();
  const heap = getHeapStatistics();
  process.stdout.write(
    `${JSON.stringify({
      stage: name,
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      externalMb: mb(m.external),
      arrayBuffersMb: mb(m.arrayBuffers),
      mallocedMb: mb(heap.malloced_memory),
      ...extra,
    })}\n`,
  );
};

stage('node started');
const { LiveSite } = await import(path.join(dist, 'live', 'liveSite.js'));
const { ContentWorkers } = await import(path.join(dist, 'parallel', 'contentWorkers.js'));
const { machineParallelism } = await import(path.join(dist, 'parallel', 'workerPool.js'));
const { createLogger } = await import(path.join(dist, 'logger.js'));
await import(path.join(dist, 'server', 'handler.js'));
stage('modules loaded');
// As src/cli/start.ts makes them (heaps capped, the workers that parsed renewed after the first load).
const workers = new ContentWorkers({
  minWorkers: 1,
  idleMs: 2000,
  heapLimit: { baseMb: 64, perSourceMb: 4, youngMb: 16 },
});
const live = new LiveSite({
  contentDir: process.argv[2],
  siteUrl: 'http://localhost',
  logger: createLogger('silent'),
  workers,
});
const outcome = await live.reload({ content: 'all', reason: 'start' });
if (!outcome.ok) throw new Error('the content has errors');
workers.pool.resize(machineParallelism() - 1);
workers.pool.renewIdle();
const site = live.current();
const model = site.model;
let bodies = 0;
let files = 0;
for (const page of model.pages.values()) bodies += page.bodyHtml.length;
for (const file of model.library.downloads.values()) files += file.bytes.length;
stage('content loaded', {
  pages: site.pages.size,
  workers: workers.pool.running,
  bodyHtmlMb: mb(bodies),
  documentFilesMb: mb(files),
});
let held = 0;
for (const url of site.pages.keys()) {
  const response = await site.pages.whenReady(url);
  held += response.bytes('gzip').length + response.bytes('br').length;
}
stage('every page rendered once', { workers: workers.pool.running, compressedPagesMb: mb(held) });
// The live server's search index of the public view (built in slices there; here in one go).
const { LiveSearchIndex } = await import(path.join(dist, 'search', 'liveIndex.js'));
const search = new LiveSearchIndex();
search.syncNow(model);
stage('search index built', { workers: workers.pool.running });
await new Promise((r) => setTimeout(r, 3000));
stage('idle workers ended', { workers: workers.pool.running });
live.close();
await workers.close();
stage('workers closed', { workers: workers.pool.running });
