/**
 * `npm run bench`: builds, serving and start-up measured side by side in one
 * run, on two seeded synthetic corpora generated differently (corpus.ts:
 * sixty words, every sidebar long; searchCorpus.ts: a Zipf vocabulary,
 * documents with data files), at 250, 1,000, 4,000 and 16,000 pages. Installs
 * what it needs (Debian's wrk and nginx, Eleventy 3 in a cache folder outside
 * the project). Figures are ratios of runs made in the same session: this
 * machine is shared and noisy. Writes test-output/bench.md and the growth
 * chart test/bench/results/growth.svg (committed with the README's table).
 *
 * BENCH_PAGES (default 4000: the size of the main table), BENCH_SIZES
 * (default 250,1000,4000,16000), BENCH_RUNS (default 3) and BENCH_SEARCH=0
 * (skips the search part) scale it down for a quick look.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { growthChart, type Panel } from './chart.js';
import { generateSearchCorpus } from './searchCorpus.js';
import { summariseProfiles } from './profile.js';
import { PAGE_COMPRESSION } from '../../src/render/prepared.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { freePort, startNginx } from '../helpers/nginx.js';
import { generateCorpus } from './corpus.js';
import { measureEditLatency } from './editLatency.js';
import { get, median, rssOfProcessMb, runNodeScript, stop, waitForOk, wrk, type WrkResult } from './measure.js';
import { benchSearch, searchErrorsLine, searchRows } from './searchBench.js';

const PAGES = Number(process.env.BENCH_PAGES ?? 4000);
const SIZES = (process.env.BENCH_SIZES ?? '250,1000,4000,16000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SEARCH = process.env.BENCH_SEARCH !== '0';
const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 10);
const ELEVENTY_VERSION = '3.1.8';
const ELEVENTY_DIR = path.join(os.homedir(), '.cache', 'nhs-cms-lite-bench', `eleventy-${ELEVENTY_VERSION}`);
const BUILD = path.join(PROJECT_ROOT, 'dist', 'cli', 'build.js');
const START = path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js');
const SERVER_CPU = 0;
const LOAD_CPU = 1;

const log = (s: string) => process.stdout.write(`${s}\n`);

function ensureTools(): void {
  const missing = ['wrk', 'nginx', 'taskset'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool} || test -x /usr/sbin/${tool}`]).status !== 0,
  );
  if (missing.length > 0) {
    log(`Installing Debian packages: ${missing.join(', ')}`);
    const packages = missing.map((t) => (t === 'taskset' ? 'util-linux' : t));
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (update.status !== 0 || install.status !== 0)
      throw new Error(`could not install ${packages.join(' ')} (run as root, or install them first)`);
  }
  if (!existsSync(path.join(ELEVENTY_DIR, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs'))) {
    log(`Installing Eleventy ${ELEVENTY_VERSION} for the benchmark only, in ${ELEVENTY_DIR}`);
    mkdirSync(ELEVENTY_DIR, { recursive: true });
    writeFileSync(path.join(ELEVENTY_DIR, 'package.json'), '{"private":true}\n');
    const r = spawnSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--save-exact', `@11ty/eleventy@${ELEVENTY_VERSION}`],
      { cwd: ELEVENTY_DIR, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error('could not install Eleventy');
  }
}

function fmt(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

async function benchBuilds(corpus: string, work: string) {
  const eleventyConfig = path.join(PROJECT_ROOT, 'test', 'bench', 'eleventy', 'eleventy.config.cjs');
  const includes = path.relative(corpus, path.join(PROJECT_ROOT, 'test', 'bench', 'eleventy', '_includes'));
  const ours: { seconds: number; maxRssMb: number }[] = [];
  const eleventy: { seconds: number; maxRssMb: number }[] = [];
  const precompressed: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate which goes first so that neither always meets a warm or cold cache.
    const runOurs = () =>
      runNodeScript(BUILD, [], { env: { CONTENT_DIR: corpus, OUT_DIR: path.join(work, `ours-${i}`) } });
    const runEleventy = () =>
      runNodeScript(
        path.join(ELEVENTY_DIR, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs'),
        [`--config=${eleventyConfig}`, '--quiet'],
        {
          cwd: ELEVENTY_DIR,
          env: {
            ELEVENTY_INPUT: corpus,
            ELEVENTY_OUTPUT: path.join(work, `eleventy-${i}`),
            ELEVENTY_INCLUDES: includes,
            NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
          },
        },
      );
    if (i % 2 === 0) {
      ours.push(await runOurs());
      eleventy.push(await runEleventy());
    } else {
      eleventy.push(await runEleventy());
      ours.push(await runOurs());
    }
    const pre = await runNodeScript(BUILD, ['--precompress'], {
      env: { CONTENT_DIR: corpus, OUT_DIR: path.join(work, `pre-${i}`) },
    });
    precompressed.push(pre.seconds);
    log(
      `  build run ${i + 1}: ours ${fmt(ours[i]!.seconds)} s ` +
        `${fmt(ours[i]!.maxRssMb, 0)} MB; Eleventy ${fmt(eleventy[i]!.seconds)} ` +
        `s ${fmt(eleventy[i]!.maxRssMb, 0)} MB; ours with precompression ` +
        `${fmt(pre.seconds)} s`,
    );
    for (const dir of [`ours-${i}`, `eleventy-${i}`]) rmSync(path.join(work, dir), { recursive: true, force: true });
    if (i < RUNS - 1) rmSync(path.join(work, `pre-${i}`), { recursive: true, force: true });
  }
  return {
    ours: { seconds: median(ours.map((r) => r.seconds)), maxRssMb: median(ours.map((r) => r.maxRssMb)) },
    eleventy: { seconds: median(eleventy.map((r) => r.seconds)), maxRssMb: median(eleventy.map((r) => r.maxRssMb)) },
    precompressedSeconds: median(precompressed),
    exportDir: path.join(work, `pre-${RUNS - 1}`),
  };
}

async function startOurServer(contentDir: string, cpu?: number) {
  const port = await freePort();
  const args = [START];
  const env = { ...process.env, CONTENT_DIR: contentDir, PORT: String(port), LOG_LEVEL: 'warn' };
  const since = performance.now();
  const child =
    cpu === undefined
      ? spawn(process.execPath, args, { env, stdio: 'ignore' })
      : spawn('taskset', ['-c', String(cpu), process.execPath, ...args], { env, stdio: 'ignore' });
  const firstResponse = await waitForOk(port, '/', since);
  return { port, child, firstResponse };
}

function loadTest(port: number, urlPath: string, acceptEncoding = 'gzip'): WrkResult {
  const url = `http://127.0.0.1:${port}${urlPath}`;
  const options = { cpu: LOAD_CPU, connections: 50, headers: { 'Accept-Encoding': acceptEncoding } };
  wrk(url, { ...options, seconds: 2 }); // warm-up
  const runs = Array.from({ length: RUNS }, () => wrk(url, { ...options, seconds: WRK_SECONDS }));
  return {
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50ms: median(runs.map((r) => r.p50ms)),
    p99ms: median(runs.map((r) => r.p99ms)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

async function benchServing(corpus: string, exportDir: string, work: string, page: string) {
  const ours = await startOurServer(corpus, SERVER_CPU);
  const oursResult = loadTest(ours.port, page);
  // Nearly every browser accepts brotli: its answers must cost what gzip's do.
  const oursBrotli = loadTest(ours.port, page, 'gzip, deflate, br');
  await stop(ours.child);

  const nginx = await startNginx(exportDir, path.join(work, 'nginx'), { cpu: SERVER_CPU });
  const nginxResult = loadTest(nginx.port, page);
  await nginx.stop();

  const port = await freePort();
  const gz = path.join(exportDir, page.slice(1), 'index.html.gz');
  const minimal = spawn(
    'taskset',
    [
      '-c',
      String(SERVER_CPU),
      process.execPath,
      path.join(PROJECT_ROOT, 'test', 'bench', 'minimal-server.mjs'),
      String(port),
      gz,
      'gzip',
    ],
    { stdio: 'ignore' },
  );
  await waitForOk(port, page, performance.now());
  const minimalResult = loadTest(port, page);
  await stop(minimal);

  const brPort = await freePort();
  const br = path.join(work, 'page.html.br');
  writeFileSync(
    br,
    brotliCompressSync(readFileSync(path.join(exportDir, page.slice(1), 'index.html')), {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: PAGE_COMPRESSION.brotliQuality },
    }),
  );
  const minimalBr = spawn(
    'taskset',
    [
      '-c',
      String(SERVER_CPU),
      process.execPath,
      path.join(PROJECT_ROOT, 'test', 'bench', 'minimal-server.mjs'),
      String(brPort),
      br,
      'br',
    ],
    { stdio: 'ignore' },
  );
  await waitForOk(brPort, page, performance.now());
  const minimalBrotli = loadTest(brPort, page, 'gzip, deflate, br');
  await stop(minimalBr);
  return { ours: oursResult, oursBrotli, nginx: nginxResult, minimal: minimalResult, minimalBrotli };
}

async function benchStartup(contentDir: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const server = await startOurServer(contentDir);
    times.push(server.firstResponse);
    await stop(server.child);
  }
  return median(times);
}

async function benchMemory(corpus: string, urls: string[]): Promise<number> {
  const server = await startOurServer(corpus);
  for (const url of urls) {
    const res = await get(server.port, url, { 'Accept-Encoding': 'gzip, deflate, br' });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  }
  const rss = rssOfProcessMb(server.child.pid!);
  await stop(server.child);
  return rss;
}

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

async function main() {
  ensureTools();
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  try {
    const corpus = path.join(work, 'corpus');
    const pages = generateCorpus(corpus, PAGES, 1);
    const urls = ['/', ...Array.from({ length: 10 }, (_, s) => `/section-${s}/`), ...pages.map((p) => p.url)];
    const page = pages[Math.min(pages.length - 1, 1003)]!.url;
    log(`Corpus: ${urls.length} pages in ${work}`);

    log('Building (ours vs Eleventy)...');
    const builds = await benchBuilds(corpus, work);
    log(`Serving ${page} (ours, nginx, minimal node:http) with wrk...`);
    const serving = await benchServing(corpus, builds.exportDir, work, page);
    log('Start-up and memory...');
    const startupBundled = await benchStartup(path.join(PROJECT_ROOT, 'content'));
    const startupCorpus = await benchStartup(corpus);
    const rss = await benchMemory(corpus, urls);
    log('Edit to updated response (preview)...');
    const bundledTargets = [
      { file: 'about.md', url: '/about/' },
      { file: 'work-streams/key-performance-indicators.md', url: '/work-streams/key-performance-indicators/' },
    ];
    const corpusTargets = pages
      .filter((_p, i) => i % 997 === 500)
      .map((p) => ({ file: `${p.url.slice(1, -1)}.md`, url: p.url }));
    const editBundled = await measureEditLatency({
      contentDir: path.join(PROJECT_ROOT, 'content'),
      targets: bundledTargets,
      edits: 10,
      preview: true,
    });
    const editCorpus = await measureEditLatency({
      contentDir: corpus,
      targets: corpusTargets,
      edits: 10,
      preview: true,
    });
    log('Search (index, export index, start-up, queries under load)...');
    const search = await benchSearch({ pages: PAGES, runs: RUNS, seconds: WRK_SECONDS, work, log });

    const buildTimeRatio = builds.ours.seconds / builds.eleventy.seconds;
    const buildMemRatio = builds.ours.maxRssMb / builds.eleventy.maxRssMb;
    const vsNginx = serving.ours.requestsPerSecond / serving.nginx.requestsPerSecond;
    const vsMinimal = serving.ours.requestsPerSecond / serving.minimal.requestsPerSecond;
    const vsGzip = serving.oursBrotli.requestsPerSecond / serving.ours.requestsPerSecond;
    const brotliVsMinimal = serving.oursBrotli.requestsPerSecond / serving.minimalBrotli.requestsPerSecond;
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const lines = [
      `Machine: ${os.cpus().length} × ${cpu}, ` +
        `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
        `${os.type()} ${os.release()}. ${PAGES} pages, medians of ${RUNS} runs, ` +
        `wrk ${WRK_SECONDS} s × 50 connections, server on CPU ${SERVER_CPU}, wrk ` +
        `on CPU ${LOAD_CPU}, \`Accept-Encoding: gzip\` (brotli rows: \`gzip, ` +
        `deflate, br\`).`,
      '',
      '| Measure | Ours | Compared with | Ratio | Goal | |',
      '| --- | --- | --- | --- | --- | --- |',
      `| Export of ${PAGES} pages, wall time | ${fmt(builds.ours.seconds)} s | ` +
        `Eleventy ${fmt(builds.eleventy.seconds)} s | ${fmt(buildTimeRatio)}× | ` +
        `≤ 0.25× | ${verdict(buildTimeRatio <= 0.25)} |`,
      `| Export, peak RSS | ${fmt(builds.ours.maxRssMb, 0)} MB | Eleventy ` +
        `${fmt(builds.eleventy.maxRssMb, 0)} MB | ${fmt(buildMemRatio)}× | ≤ ` +
        `0.5× | ${verdict(buildMemRatio <= 0.5)} |`,
      `| Export with gzip + brotli precompression (reported separately) | ` +
        `${fmt(builds.precompressedSeconds)} s | | | | |`,
      `| Cached page, requests/s | ${fmt(serving.ours.requestsPerSecond, 0)} | ` +
        `nginx ${fmt(serving.nginx.requestsPerSecond, 0)} | ${fmt(vsNginx)}× | ≥ ` +
        `0.5× | ${verdict(vsNginx >= 0.5)} |`,
      `| Cached page, requests/s | ${fmt(serving.ours.requestsPerSecond, 0)} | ` +
        `minimal node:http ${fmt(serving.minimal.requestsPerSecond, 0)} | ` +
        `${fmt(vsMinimal)}× | ≥ 0.8× | ${verdict(vsMinimal >= 0.8)} |`,
      `| Cached page, brotli, requests/s | ` +
        `${fmt(serving.oursBrotli.requestsPerSecond, 0)} | ours with gzip ` +
        `${fmt(serving.ours.requestsPerSecond, 0)}; minimal node:http with ` +
        `brotli ${fmt(serving.minimalBrotli.requestsPerSecond, 0)} | ` +
        `${fmt(vsGzip)}× gzip; ${fmt(brotliVsMinimal)}× minimal | ≥ 0.9× gzip | ` +
        `${verdict(vsGzip >= 0.9)} |`,
      `| Cached page, latency p50 / p99 | ${fmt(serving.ours.p50ms)} / ` +
        `${fmt(serving.ours.p99ms)} ms | nginx ${fmt(serving.nginx.p50ms)} / ` +
        `${fmt(serving.nginx.p99ms)} ms; minimal ${fmt(serving.minimal.p50ms)} / ` +
        `${fmt(serving.minimal.p99ms)} ms | | p99 ≤ 5 ms | ` +
        `${verdict(serving.ours.p99ms <= 5)} |`,
      `| Start to first page, bundled site | ${fmt(startupBundled)} s | | | ≤ 1 s | ${verdict(startupBundled <= 1)} |`,
      `| Start to first page, ${PAGES} pages | ${fmt(startupCorpus)} s | | | ≤ 3 s | ${verdict(startupCorpus <= 3)} |`,
      `| RSS after every page served once | ${fmt(rss, 0)} MB | | | ≤ 400 MB | ${verdict(rss <= 400)} |`,
      `| Edit to updated response, bundled site (preview, ` +
        `${editBundled.debounceMs} ms watcher quiet period) | ` +
        `${fmt(editBundled.medianMs, 0)} ms median, ${fmt(editBundled.p95Ms, 0)} ` +
        `ms p95 | | | | |`,
      `| Edit to updated response, ${PAGES} pages (preview) | ` +
        `${fmt(editCorpus.medianMs, 0)} ms median, ${fmt(editCorpus.p95Ms, 0)} ` +
        `ms p95 | Eleventy rebuilds everything | | ≤ 100 ms | ` +
        `${verdict(editCorpus.medianMs <= 100)} |`,
      ...searchRows(search),
      '',
      `Errors during load tests: ours ` +
        `${serving.ours.errors + serving.oursBrotli.errors}, nginx ` +
        `${serving.nginx.errors}, minimal ` +
        `${serving.minimal.errors + serving.minimalBrotli.errors}. ${searchErrorsLine(search)}`,
    ];
    const report = lines.join('\n');
    log(`\n${report}`);
    mkdirSync(path.join(PROJECT_ROOT, 'test-output'), { recursive: true });
    writeFileSync(path.join(PROJECT_ROOT, 'test-output', 'bench.md'), `${report}\n`);
    log('\n(written to test-output/bench.md)');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
