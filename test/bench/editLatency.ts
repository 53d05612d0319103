/**
 * Edit-to-updated-response latency: the time from saving a page to the
 * server answering with the new text. Measured end to end, as an editor
 * would see it in the preview: a real file write, the watcher, the reload
 * (read the changed file, rebuild, re-render what depends on it) and an HTTP
 * request that returns the new page. A second figure gives the same with the
 * production reloader's settings.
 *
 * `npm run bench:edit` runs it on the bundled site and on the generated
 * 4,000-page corpus; `npm run bench` may call `measureEditLatency` too.
 * BENCH_PAGES and BENCH_EDITS scale it.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { watchForReloads } from '../../src/live/contentWatcher.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';
import { LiveSite, type ReloadOutcome } from '../../src/live/liveSite.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { ContentWorkers } from '../../src/parallel/contentWorkers.js';
import { machineParallelism } from '../../src/parallel/workerPool.js';
import { generateCorpus } from './corpus.js';
import { median } from './measure.js';

export interface EditLatencyOptions {
  /** A content folder; it is copied, never changed. */
  contentDir: string;
  /** Page files (relative) to edit in turn, with their URLs. */
  targets: ReadonlyArray<{ file: string; url: string }>;
  edits?: number;
  /** The watcher's quiet period: 25 ms in the preview, 200 ms in production. */
  debounceMs?: number;
  preview?: boolean;
  /** Parse and render on worker threads, as npm start and npm run dev do (true by default). */
  workers?: boolean;
  /** An address requested over and over while the edits run, to see requests answered throughout. */
  probeUrl?: string;
}

export interface EditLatencyResult {
  pages: number;
  edits: number;
  debounceMs: number;
  /** Milliseconds from the write to the first response with the new text. */
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Medians of the reload's own phases. */
  readMs: number;
  buildMs: number;
  renderMs: number;
  /** Median number of pages whose rendering was dropped per edit. */
  invalidated: number;
  /** The probe's requests while the edits ran: how many, and their latency. */
  probe: { requests: number; p99Ms: number; maxMs: number } | null;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
  });
}

function nextReload(live: LiveSite, started: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('no reload within 10 s of an edit')),
      Math.max(0, 10_000 - (performance.now() - started)),
    );
    const off = live.onReload(() => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureEditLatency(options: EditLatencyOptions): Promise<EditLatencyResult> {
  const edits = options.edits ?? 20;
  const debounceMs = options.debounceMs ?? 25;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-edit-'));
  cpSync(options.contentDir, dir, { recursive: true });
  const logger = createLogger('silent');
  const workers =
    options.workers === false
      ? null
      : new ContentWorkers({ size: Math.max(1, machineParallelism() - 1), minWorkers: 1 });
  const live = new LiveSite({
    contentDir: dir,
    siteUrl: 'http://localhost',
    logger,
    ...(options.preview ? { preview: { reloadScriptUrl: '/__dev/reload.js' } } : {}),
    ...(workers ? { workers } : {}),
  });
  const first = await live.reload({ content: 'all', reason: 'start' });
  if (!first.ok)
    throw new Error(
      `the content has errors: ${first.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('; ')}`,
    );
  const handler = createSiteHandler({
    config: { trustProxy: false },
    site: () => live.current()!,
    logger,
    contentStatus: () => live.status(),
  });
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const watcher = await watchForReloads(live, [{ dir, kind: 'content' }], { debounceMs, logger });
  const outcomes: ReloadOutcome[] = [];
  live.onReload((o) => outcomes.push(o));

  let probing = options.probeUrl !== undefined;
  const probeLatencies: number[] = [];
  const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const probe = (async () => {
    while (probing) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: options.probeUrl, agent: probeAgent }, (res) => {
            res.resume();
            res.on('end', () => resolve());
          })
          .on('error', reject);
      });
      probeLatencies.push(performance.now() - started);
      await sleep(2);
    }
  })();
  try {
    for (const t of options.targets) await get(port, t.url); // warm: every target rendered once
    const latencies: number[] = [];
    for (let i = 0; i < edits; i++) {
      const target = options.targets[i % options.targets.length]!;
      const file = path.join(dir, target.file);
      const marker = `edit-marker-${i}-${Date.now()}`;
      const text = readFileSync(file, 'utf8').replace(/\n?(?:Edited: edit-marker-\S+\n)?$/, `\nEdited: ${marker}\n`);
      // Wait for a reload to finish, then ask, as a preview page does when the
      // event stream tells it to (polling would compete with the reload for the CPU).
      const started = performance.now();
      writeFileSync(file, text);
      for (;;) {
        await nextReload(live, started);
        if ((await get(port, target.url)).includes(marker)) break;
      }
      latencies.push(performance.now() - started);
      await sleep(debounceMs * 4 + 50); // let this edit's events settle before the next
    }
    probing = false;
    await probe;
    const probeSorted = [...probeLatencies].sort((a, b) => a - b);
    const ok = outcomes.filter((o) => o.ok);
    const sorted = [...latencies].sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      pages: live.current()!.pages.size,
      edits,
      debounceMs,
      medianMs: round(median(latencies)),
      p95Ms: round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!),
      maxMs: round(sorted[sorted.length - 1]!),
      readMs: round(median(ok.map((o) => o.timings.readMs))),
      buildMs: round(median(ok.map((o) => o.timings.buildMs))),
      renderMs: round(median(ok.map((o) => o.timings.renderMs))),
      invalidated: median(ok.map((o) => o.stats?.invalidated.length ?? 0)),
      probe:
        probeSorted.length === 0
          ? null
          : {
              requests: probeSorted.length,
              p99Ms: round(probeSorted[Math.min(probeSorted.length - 1, Math.ceil(probeSorted.length * 0.99) - 1)]!),
              maxMs: round(probeSorted[probeSorted.length - 1]!),
            },
    };
  } finally {
    probing = false;
    await probe.catch(() => undefined);
    probeAgent.destroy();
    await watcher.close();
    live.close();
    await workers?.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(name: string, r: EditLatencyResult): string {
  return (
    `${name}: ${r.pages} pages, ${r.edits} one-page body edits, watcher quiet period ${r.debounceMs} ms\n` +
    `  edit to updated response: median ${r.medianMs} ms, p95 ${r.p95Ms} ms, max ${r.maxMs} ms\n` +
    `  reload phases (median): read ${r.readMs} ms, build ${r.buildMs} ms, ` +
    `render ${r.renderMs} ms; ${r.invalidated} page(s) invalidated per edit` +
    (r.probe
      ? `\n  probe meanwhile: ${r.probe.requests} requests, p99 ${r.probe.p99Ms} ms, max ${r.probe.maxMs} ms`
      : '')
  );
}

async function main(): Promise<void> {
  const pages = Number(process.env.BENCH_PAGES ?? 4000);
  const edits = Number(process.env.BENCH_EDITS ?? 20);
  const bundled = path.join(PROJECT_ROOT, 'content');
  const bundledTargets = [
    { file: 'about.md', url: '/about/' },
    { file: 'work-streams/key-performance-indicators.md', url: '/work-streams/key-performance-indicators/' },
    { file: 'regional-projects/pc-aims.md', url: '/regional-projects/pc-aims/' },
  ];
  const corpusDir = mkdtempSync(path.join(os.tmpdir(), 'bench-corpus-'));
  try {
    const corpus = generateCorpus(corpusDir, pages);
    const step = Math.max(1, Math.floor(corpus.length / 7));
    const corpusTargets = corpus
      .filter((_p, i) => i % step === step - 1)
      .map((p) => ({ file: `${p.url.slice(1, -1)}.md`, url: p.url }));
    const results: Array<[string, EditLatencyResult]> = [];
    results.push([
      'Bundled site, preview (npm run dev)',
      await measureEditLatency({ contentDir: bundled, targets: bundledTargets, edits, preview: true }),
    ]);
    results.push([
      `${pages}-page corpus, preview (npm run dev)`,
      await measureEditLatency({ contentDir: corpusDir, targets: corpusTargets, edits, preview: true, probeUrl: '/' }),
    ]);
    results.push([
      `${pages}-page corpus, production reload (npm start)`,
      await measureEditLatency({
        contentDir: corpusDir,
        targets: corpusTargets,
        edits: Math.min(edits, 10),
        debounceMs: 200,
      }),
    ]);
    for (const [name, r] of results) process.stdout.write(`${describe(name, r)}\n`);
    const goal = results[1]![1].medianMs <= 50;
    process.stdout.write(
      `Goal (at most 50 ms for a one-page body edit at ${pages} pages, preview): ${goal ? 'met' : 'NOT met'}\n`,
    );
  } finally {
    rmSync(corpusDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
