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
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { growthChart, type Panel } from './chart.js';
import { generateSearchCorpus } from './searchCorpus.js';
import { excessCost, levelsTable, measureLevels, samplePages, type LevelsReport } from './compressionLevels.js';
import { summariseProfiles } from './profile.js';
import { brotliVariant, PAGE_COMPRESSION } from '../../src/render/prepared.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { freePort, startNginx } from '../helpers/nginx.js';
import { corpusPages, generateCorpus } from './corpus.js';
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

interface BuildRun {
  seconds: number;
  maxRssMb: number;
}

/** One build: ours (optionally precompressing, optionally profiled) or Eleventy's, into `out`. */
async function buildOnce(
  kind: 'ours' | 'precompressed' | 'eleventy',
  corpus: string,
  out: string,
  profileDir?: string,
): Promise<BuildRun> {
  try {
    if (kind === 'eleventy') {
      const eleventyConfig = path.join(PROJECT_ROOT, 'test', 'bench', 'eleventy', 'eleventy.config.cjs');
      const includes = path.relative(corpus, path.join(PROJECT_ROOT, 'test', 'bench', 'eleventy', '_includes'));
      return await runNodeScript(
        path.join(ELEVENTY_DIR, 'node_modules', '@11ty', 'eleventy', 'cmd.cjs'),
        [`--config=${eleventyConfig}`, '--quiet'],
        {
          cwd: ELEVENTY_DIR,
          env: {
            ELEVENTY_INPUT: corpus,
            ELEVENTY_OUTPUT: out,
            ELEVENTY_INCLUDES: includes,
            NODE_PATH: path.join(PROJECT_ROOT, 'node_modules'),
          },
        },
      );
    }
    return await runNodeScript(BUILD, kind === 'precompressed' ? ['--precompress'] : [], {
      env: { CONTENT_DIR: corpus, OUT_DIR: out },
      ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Export time and peak memory, ours against Eleventy, alternating which goes first; medians of `runs`. */
async function benchBuilds(corpus: string, work: string, runs: number) {
  const ours: BuildRun[] = [];
  const eleventy: BuildRun[] = [];
  const precompressed: BuildRun[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first so that neither always meets a warm or cold cache.
    const order = i % 2 === 0 ? (['ours', 'eleventy'] as const) : (['eleventy', 'ours'] as const);
    for (const kind of order)
      (kind === 'ours' ? ours : eleventy).push(await buildOnce(kind, corpus, path.join(work, 'out')));
    precompressed.push(await buildOnce('precompressed', corpus, path.join(work, 'out')));
    log(
      `  build run ${i + 1}: ours ${fmt(ours[i]!.seconds)} s ${fmt(ours[i]!.maxRssMb, 0)} MB; ` +
        `Eleventy ${fmt(eleventy[i]!.seconds)} s ${fmt(eleventy[i]!.maxRssMb, 0)} MB; ` +
        `ours with precompression ${fmt(precompressed[i]!.seconds)} s`,
    );
  }
  const med = (list: BuildRun[]) => ({
    seconds: median(list.map((r) => r.seconds)),
    maxRssMb: median(list.map((r) => r.maxRssMb)),
  });
  return { ours: med(ours), eleventy: med(eleventy), precompressed: med(precompressed) };
}

/** Every page address of a content folder, from its files (a/b.md -> /a/b/, a/index.md -> /a/). */
function pageUrls(dir: string, prefix = ''): string[] {
  const urls: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) urls.push(...pageUrls(dir, rel));
    else if (entry.name.endsWith('.md') && !['404.md', '500.md'].includes(rel)) {
      const url = `/${rel.replace(/\.md$/, '').replace(/(^|\/)index$/, '')}/`.replace(/\/+/g, '/');
      urls.push(url);
    }
  }
  return urls;
}

/** Requests every address once, a few at a time; throws on anything but 200. */
async function requestAll(port: number, urls: string[], concurrency = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < urls.length) {
        const url = urls[next++]!;
        const res = await get(port, url, { 'Accept-Encoding': 'gzip, deflate, br' });
        if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
      }
    }),
  );
}

interface ServeRun {
  firstPageS: number;
  rssStartMb: number;
  rssServedMb: number;
  /** After the server has been idle a while (idle workers renewed). */
  rssIdleMb: number;
}

/** Start to first page, and memory after start, after every page served once, and after a while idle. */
async function serveOnce(corpus: string): Promise<ServeRun> {
  const server = await startOurServer(corpus);
  try {
    const rssStartMb = rssOfProcessMb(server.child.pid!);
    await requestAll(server.port, pageUrls(corpus));
    const rssServedMb = rssOfProcessMb(server.child.pid!);
    await new Promise((r) => setTimeout(r, 12_000)); // the worker pool renews idle workers after 10 s
    return { firstPageS: server.firstResponse, rssStartMb, rssServedMb, rssIdleMb: rssOfProcessMb(server.child.pid!) };
  } finally {
    await stop(server.child);
  }
}

interface GrowthPoint {
  pages: number;
  ours: BuildRun;
  eleventy: BuildRun;
  serve: ServeRun;
}

/** The growth series of one corpus: one build each and one server per size. */
async function growth(
  name: string,
  generate: (dir: string, pages: number) => void,
  work: string,
): Promise<GrowthPoint[]> {
  const points: GrowthPoint[] = [];
  for (const pages of SIZES) {
    const corpus = path.join(work, `${name}-${pages}`);
    generate(corpus, pages);
    const ours = await buildOnce('ours', corpus, path.join(work, 'out'));
    const eleventy = await buildOnce('eleventy', corpus, path.join(work, 'out'));
    const serve = await serveOnce(corpus);
    log(
      `  ${name}, ${pages} pages: export ours ${fmt(ours.seconds)} s ${fmt(ours.maxRssMb, 0)} MB, Eleventy ` +
        `${fmt(eleventy.seconds)} s ${fmt(eleventy.maxRssMb, 0)} MB; first page ${fmt(serve.firstPageS)} s; RSS ` +
        `${fmt(serve.rssStartMb, 0)} / ${fmt(serve.rssServedMb, 0)} / ${fmt(serve.rssIdleMb, 0)} MB`,
    );
    points.push({ pages, ours, eleventy, serve });
    if (pages !== PAGES) rmSync(corpus, { recursive: true, force: true });
  }
  return points;
}

/** The worst step of a series against linear growth: max over steps of (value ratio / pages ratio). */
function worstStep(points: { pages: number; value: number }[]): number {
  let worst = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    worst = Math.max(worst, b.value / a.value / (b.pages / a.pages));
  }
  return worst;
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

const GZIP = 'gzip';
const BROTLI = 'gzip, deflate, br';

/** The median of each measure over runs of one server. */
function medianOf(runs: WrkResult[]): WrkResult {
  return {
    requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
    p50ms: median(runs.map((r) => r.p50ms)),
    p99ms: median(runs.map((r) => r.p99ms)),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}

/** A minimal node:http server holding these bytes, on the server's core. */
async function startMinimal(file: string, encoding: string, page: string) {
  const port = await freePort();
  const script = path.join(PROJECT_ROOT, 'test', 'bench', 'minimal-server.mjs');
  const child = spawn('taskset', ['-c', String(SERVER_CPU), process.execPath, script, String(port), file, encoding], {
    stdio: 'ignore',
  });
  await waitForOk(port, page, performance.now());
  return { port, child };
}

/**
 * One cached page from our server, nginx and the minimal servers. All of them are started first and then loaded
 * in turn, round after round (ours, the minimal server, nginx, with gzip; ours and the minimal server with
 * brotli), so that a change in the machine's load during the runs falls on every server alike, not on whichever
 * happened to run then: the ratios are of runs made next to each other.
 */
async function benchServing(corpus: string, exportDir: string, work: string, page: string) {
  const br = path.join(work, 'page.html.br');
  // The very bytes our server holds for the page.
  writeFileSync(br, brotliVariant(readFileSync(path.join(exportDir, page.slice(1), 'index.html')), PAGE_COMPRESSION));
  const ours = await startOurServer(corpus, SERVER_CPU);
  const nginx = await startNginx(exportDir, path.join(work, 'nginx'), { cpu: SERVER_CPU });
  const minimal = await startMinimal(path.join(exportDir, page.slice(1), 'index.html.gz'), 'gzip', page);
  const minimalBr = await startMinimal(br, 'br', page);
  try {
    // Let start-up work settle (the search index, the worker kept for reloads renewed after 10 s idle).
    await new Promise((r) => setTimeout(r, 12_000));
    const targets = {
      ours: [ours.port, GZIP],
      minimal: [minimal.port, GZIP],
      nginx: [nginx.port, GZIP],
      oursBrotli: [ours.port, BROTLI],
      minimalBrotli: [minimalBr.port, BROTLI],
    } as const;
    type Target = keyof typeof targets;
    const names = Object.keys(targets) as Target[];
    const runs = Object.fromEntries(names.map((n) => [n, [] as WrkResult[]])) as Record<Target, WrkResult[]>;
    const url = (port: number) => `http://127.0.0.1:${port}${page}`;
    const options = (encoding: string, seconds: number) => ({
      cpu: LOAD_CPU,
      connections: 50,
      seconds,
      headers: { 'Accept-Encoding': encoding },
    });
    for (const name of names) wrk(url(targets[name][0]), options(targets[name][1], 2)); // warm-up
    for (let i = 0; i < RUNS; i++) {
      for (const name of names) runs[name].push(wrk(url(targets[name][0]), options(targets[name][1], WRK_SECONDS)));
    }
    return {
      ours: medianOf(runs.ours),
      oursBrotli: medianOf(runs.oursBrotli),
      nginx: medianOf(runs.nginx),
      minimal: medianOf(runs.minimal),
      minimalBrotli: medianOf(runs.minimalBrotli),
    };
  } finally {
    await Promise.all([stop(ours.child), nginx.stop(), stop(minimal.child), stop(minimalBr.child)]);
  }
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

/** process.memoryUsage() per stage of serving the corpus (test/bench/memory-stages.mjs). */
function memoryStages(corpus: string): Record<string, number | string>[] {
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', path.join(PROJECT_ROOT, 'test', 'bench', 'memory-stages.mjs'), corpus],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) throw new Error(`memory-stages.mjs failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number | string>);
}

function verdict(ok: boolean, by?: string): string {
  return ok ? 'met' : `**missed**${by ? ` (${by})` : ''}`;
}

/**
 * Puts the report and the chart into README.md between its markers, so that the README's figures are the run's
 * own, never typed by hand. False when the README has no markers.
 */
function intoReadme(report: string): boolean {
  const file = path.join(PROJECT_ROOT, 'README.md');
  const start = '<!-- bench-results:start (written by npm run bench) -->';
  const end = '<!-- bench-results:end -->';
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) return false;
  const chart = '![Growth with size, ours against Eleventy](test/bench/results/growth.svg)';
  writeFileSync(file, `${text.slice(0, from + start.length)}\n\n${report}\n\n${chart}\n\n${text.slice(to)}`);
  return true;
}

const CORPORA = [
  { name: 'corpus', label: 'project corpus', generate: (dir: string, n: number) => void generateCorpus(dir, n, 1) },
  { name: 'zipf', label: 'Zipf corpus', generate: (dir: string, n: number) => void generateSearchCorpus(dir, n, 7) },
] as const;

async function main() {
  ensureTools();
  const work = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const started = performance.now();
  try {
    const lines: string[] = [];
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const load = os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(', ');
    log(`Growth series at ${SIZES.join(', ')} pages on two corpora (one build and one server each)...`);
    const series: Record<string, GrowthPoint[]> = {};
    for (const corpus of CORPORA) series[corpus.name] = await growth(corpus.name, corpus.generate, work);

    // The main table, at PAGES pages of each corpus: medians of RUNS builds side by side.
    const table: string[] = [];
    const builds: Record<string, Awaited<ReturnType<typeof benchBuilds>>> = {};
    for (const corpus of CORPORA) {
      const dir = path.join(work, `${corpus.name}-${PAGES}`);
      if (!existsSync(dir)) corpus.generate(dir, PAGES);
      log(`Building ${corpus.label}, ${PAGES} pages (ours vs Eleventy, ${RUNS} runs)...`);
      builds[corpus.name] = await benchBuilds(dir, work, RUNS);
    }
    log('Profiling our export (every thread)...');
    const profileDir = path.join(work, 'profile');
    await buildOnce('ours', path.join(work, `corpus-${PAGES}`), path.join(work, 'out'), profileDir);
    const profile = summariseProfiles(profileDir);

    const corpusDir = path.join(work, `corpus-${PAGES}`);
    const pages = corpusPages(PAGES, 1);
    const page = pages[Math.min(pages.length - 1, 1003)]!.url;
    const exportDir = path.join(work, 'export');
    await runNodeScript(BUILD, ['--precompress'], { env: { CONTENT_DIR: corpusDir, OUT_DIR: exportDir } });
    log('Compression levels, on pages of both exports...');
    const levels: [string, LevelsReport][] = [['project corpus', measureLevels(samplePages(exportDir))]];
    const zipfExport = path.join(work, 'export-zipf');
    await runNodeScript(BUILD, [], { env: { CONTENT_DIR: path.join(work, `zipf-${PAGES}`), OUT_DIR: zipfExport } });
    levels.push(['Zipf corpus', measureLevels(samplePages(zipfExport))]);
    rmSync(zipfExport, { recursive: true, force: true });
    log(`Serving ${page} (ours, nginx, minimal node:http) with wrk...`);
    const serving = await benchServing(corpusDir, exportDir, work, page);
    log('Start-up of the bundled site, memory stages...');
    const startupBundled = await benchStartup(path.join(PROJECT_ROOT, 'content'));
    const stages = memoryStages(corpusDir);
    log('Edit to updated response (preview), with a probe...');
    const bundledTargets = [
      { file: 'about.md', url: '/about/' },
      { file: 'work-streams/key-performance-indicators.md', url: '/work-streams/key-performance-indicators/' },
    ];
    const every = Math.max(1, Math.floor(pages.length / 5));
    const corpusTargets = pages
      .filter((_p, i) => i % every === Math.floor(every / 2))
      .map((p) => ({ file: `${p.url.slice(1, -1)}.md`, url: p.url }));
    const editBundled = await measureEditLatency({
      contentDir: path.join(PROJECT_ROOT, 'content'),
      targets: bundledTargets,
      edits: 10,
      preview: true,
    });
    const editCorpus = await measureEditLatency({
      contentDir: corpusDir,
      targets: corpusTargets,
      edits: 10,
      preview: true,
      probeUrl: '/',
    });
    const search = SEARCH
      ? (log('Search (index, export index, start-up, queries under load)...'),
        await benchSearch({ pages: PAGES, runs: RUNS, seconds: WRK_SECONDS, work, log }))
      : null;

    // The table.
    const at = (name: string) => series[name]!.find((p) => p.pages === PAGES);
    for (const corpus of CORPORA) {
      const b = builds[corpus.name]!;
      const time = b.ours.seconds / b.eleventy.seconds;
      const memory = b.ours.maxRssMb / b.eleventy.maxRssMb;
      const pre = b.precompressed.seconds / b.eleventy.seconds;
      table.push(
        `| Export of ${PAGES} pages (${corpus.label}), wall time | ${fmt(b.ours.seconds)} s | Eleventy ` +
          `${fmt(b.eleventy.seconds)} s | ${fmt(time)}× | ≤ 0.3× | ${verdict(time <= 0.3, `by ${fmt(time / 0.3)}×`)} |`,
        `| Export (${corpus.label}), peak RSS | ${fmt(b.ours.maxRssMb, 0)} MB | Eleventy ` +
          `${fmt(b.eleventy.maxRssMb, 0)} MB | ${fmt(memory)}× | ≤ 0.5× | ` +
          `${verdict(memory <= 0.5, `by ${fmt(memory / 0.5)}×`)} |`,
        `| Export with gzip + brotli precompression (${corpus.label}) | ${fmt(b.precompressed.seconds)} s | Eleventy ` +
          `(no precompression) ${fmt(b.eleventy.seconds)} s | ${fmt(pre)}× | ≤ 0.5× | ` +
          `${verdict(pre <= 0.5, `by ${fmt(pre / 0.5)}×`)} |`,
      );
      const point = at(corpus.name);
      if (point) {
        table.push(
          `| Start to first page, ${PAGES} pages (${corpus.label}) | ${fmt(point.serve.firstPageS)} s | | | ≤ 2 s | ` +
            `${verdict(point.serve.firstPageS <= 2, `by ${fmt(point.serve.firstPageS - 2)} s`)} |`,
          `| RSS after every page served once (${corpus.label}): at once / after 12 s idle | ` +
            `${fmt(point.serve.rssServedMb, 0)} / ${fmt(point.serve.rssIdleMb, 0)} MB | | | ≤ 300 MB | ` +
            `${verdict(point.serve.rssIdleMb <= 300, `by ${fmt(point.serve.rssIdleMb - 300, 0)} MB`)} |`,
        );
      }
    }
    const vsNginx = serving.ours.requestsPerSecond / serving.nginx.requestsPerSecond;
    const vsMinimal = serving.ours.requestsPerSecond / serving.minimal.requestsPerSecond;
    const brVsMinimal = serving.oursBrotli.requestsPerSecond / serving.minimalBrotli.requestsPerSecond;
    table.push(
      `| Cached page, gzip, requests/s | ${fmt(serving.ours.requestsPerSecond, 0)} | minimal node:http ` +
        `${fmt(serving.minimal.requestsPerSecond, 0)}; nginx ${fmt(serving.nginx.requestsPerSecond, 0)} | ` +
        `${fmt(vsMinimal)}× minimal; ${fmt(vsNginx)}× nginx | ≥ 0.85× minimal | ` +
        `${verdict(vsMinimal >= 0.85, `by ${fmt(0.85 - vsMinimal)}`)} |`,
      `| Cached page, brotli, requests/s | ${fmt(serving.oursBrotli.requestsPerSecond, 0)} | minimal node:http ` +
        `with brotli ${fmt(serving.minimalBrotli.requestsPerSecond, 0)} | ${fmt(brVsMinimal)}× | ≥ 0.85× | ` +
        `${verdict(brVsMinimal >= 0.85, `by ${fmt(0.85 - brVsMinimal)}`)} |`,
      `| Cached page, latency p50 / p99, gzip | ${fmt(serving.ours.p50ms)} / ${fmt(serving.ours.p99ms)} ms | ` +
        `minimal ${fmt(serving.minimal.p50ms)} / ${fmt(serving.minimal.p99ms)} ms; ` +
        `nginx ${fmt(serving.nginx.p50ms)} / ` +
        `${fmt(serving.nginx.p99ms)} ms | | p99 ≤ 3 ms | ${verdict(serving.ours.p99ms <= 3)} |`,
      `| Cached page, latency p50 / p99, brotli | ${fmt(serving.oursBrotli.p50ms)} / ` +
        `${fmt(serving.oursBrotli.p99ms)} ms | minimal ${fmt(serving.minimalBrotli.p50ms)} / ` +
        `${fmt(serving.minimalBrotli.p99ms)} ms | | p99 ≤ 3 ms | ${verdict(serving.oursBrotli.p99ms <= 3)} |`,
      `| Start to first page, bundled site | ${fmt(startupBundled)} s | | | ≤ 0.5 s | ` +
        `${verdict(startupBundled <= 0.5, `by ${fmt(startupBundled - 0.5)} s`)} |`,
      `| Edit to updated response, bundled site (preview) | ${fmt(editBundled.medianMs, 0)} ms median, ` +
        `${fmt(editBundled.p95Ms, 0)} ms p95 | | | | |`,
      `| Edit to updated response, ${PAGES} pages (preview, ${editCorpus.debounceMs} ms watcher quiet period) | ` +
        `${fmt(editCorpus.medianMs, 0)} ms median, ${fmt(editCorpus.p95Ms, 0)} ms p95 | Eleventy rebuilds ` +
        `everything | | ≤ 50 ms | ${verdict(editCorpus.medianMs <= 50, `by ${fmt(editCorpus.medianMs - 50, 0)} ms`)} |`,
      `| Requests meanwhile (a probe of another page during the edits) | ${editCorpus.probe?.requests ?? 0} ` +
        `requests, p99 ${fmt(editCorpus.probe?.p99Ms ?? NaN, 0)} ms, max ${fmt(editCorpus.probe?.maxMs ?? NaN, 0)} ` +
        `ms | | | answered throughout, p99 ≤ 50 ms | ` +
        `${verdict((editCorpus.probe?.requests ?? 0) > 0 && (editCorpus.probe?.p99Ms ?? Infinity) <= 50)} |`,
      ...(search ? searchRows(search) : []),
    );

    // Growth.
    const growthRows: string[] = [];
    const linear: string[] = [];
    for (const corpus of CORPORA) {
      for (const point of series[corpus.name]!) {
        growthRows.push(
          `| ${corpus.label} | ${point.pages} | ${fmt(point.ours.seconds)} s | ${fmt(point.eleventy.seconds)} s | ` +
            `${fmt(point.ours.seconds / point.eleventy.seconds)}× | ${fmt(point.ours.maxRssMb, 0)} MB | ` +
            `${fmt(point.eleventy.maxRssMb, 0)} MB | ${fmt(point.serve.firstPageS)} s | ` +
            `${fmt(point.serve.rssServedMb, 0)} / ${fmt(point.serve.rssIdleMb, 0)} MB |`,
        );
      }
      const pts = series[corpus.name]!;
      const step = (value: (p: GrowthPoint) => number) =>
        fmt(worstStep(pts.map((p) => ({ pages: p.pages, value: value(p) }))));
      linear.push(
        `${corpus.label}: export time ${step((p) => p.ours.seconds)}, export memory ${step((p) => p.ours.maxRssMb)}, ` +
          `start ${step((p) => p.serve.firstPageS)}, served memory ${step((p) => p.serve.rssIdleMb)} ` +
          `(Eleventy's export time ${step((p) => p.eleventy.seconds)})`,
      );
    }
    const chartPanels: Panel[] = [
      { title: 'Export time', unit: 's', series: [] },
      { title: 'Export peak memory', unit: 'MB', series: [] },
      { title: 'Start to first page', unit: 's', series: [] },
      { title: 'Memory, every page served', unit: 'MB', series: [] },
    ];
    const colours = { corpus: ['#005eb8', '#d5281b'], zipf: ['#007f3b', '#ed8b00'] } as const;
    for (const corpus of CORPORA) {
      const pts = series[corpus.name]!;
      const [ours, theirs] = colours[corpus.name];
      const line = (label: string, colour: string, value: (p: GrowthPoint) => number, dashed = false) => ({
        label,
        colour,
        dashed,
        points: pts.map((p) => ({ pages: p.pages, value: value(p) })),
      });
      chartPanels[0]!.series.push(
        line(`ours, ${corpus.label}`, ours, (p) => p.ours.seconds),
        line(`Eleventy 3.1.8, ${corpus.label}`, theirs, (p) => p.eleventy.seconds, true),
      );
      chartPanels[1]!.series.push(
        line(`ours, ${corpus.label}`, ours, (p) => p.ours.maxRssMb),
        line(`Eleventy 3.1.8, ${corpus.label}`, theirs, (p) => p.eleventy.maxRssMb, true),
      );
      chartPanels[2]!.series.push(line(`ours, ${corpus.label}`, ours, (p) => p.serve.firstPageS));
      chartPanels[3]!.series.push(line(`ours, ${corpus.label}`, ours, (p) => p.serve.rssIdleMb));
    }
    const date = new Date().toISOString().slice(0, 10);
    const machine =
      `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
      `${os.type()} ${os.release()}`;
    const svg = growthChart(
      `Growth with size: ours against Eleventy 3.1.8 (npm run bench, ${date})`,
      `${machine}; load average at the start ${load}; both axes logarithmic, so linear growth is a 45° line.`,
      chartPanels,
    );
    mkdirSync(path.join(PROJECT_ROOT, 'test', 'bench', 'results'), { recursive: true });
    writeFileSync(path.join(PROJECT_ROOT, 'test', 'bench', 'results', 'growth.svg'), svg);

    const levelsExcess = Math.max(
      ...levels.map(([, r]) => excessCost(r, PAGE_COMPRESSION.gzipLevel!, PAGE_COMPRESSION.brotliQuality)),
    );
    const total = profile.totalMs;
    lines.push(
      `Run of ${date}. Machine: ${machine}; load average at the start ${load} (the machine is shared: ratios are ` +
        `of runs side by side in this one session). ${PAGES} pages for the main table, medians of ${RUNS} builds; ` +
        `wrk ${WRK_SECONDS} s × 50 connections, server on CPU ${SERVER_CPU}, wrk on CPU ${LOAD_CPU}, the servers ` +
        `loaded in turn, ${RUNS} rounds. ` +
        `Whole run ${fmt((performance.now() - started) / 60000, 1)} minutes.`,
      '',
      '| Measure | Ours | Compared with | Ratio | Goal | |',
      '| --- | --- | --- | --- | --- | --- |',
      ...table,
      '',
      `Growth (one build and one server per size; RSS after every page served: at once / after 12 s idle):`,
      '',
      '| Corpus | Pages | Export, ours | Export, Eleventy | Ratio | Peak RSS, ours | Peak RSS, Eleventy | ' +
        'First page | RSS served |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...growthRows,
      '',
      `Worst step against linear growth (1.00 = linear; above 1 grows faster than the pages): ${linear.join('; ')}.`,
      '',
      `Where the export's time goes (${PAGES} pages, project corpus, CPU profiles of ${profile.threads} threads, ` +
        `${fmt(total / 1000)} s of samples): ` +
        profile.areas
          .slice(0, 12)
          .map(([area, ms]) => `${area} ${fmt((100 * ms) / total, 0)}%`)
          .join(', ') +
        '.',
      '',
      `Compression levels of pages (CPU time to compress a page, and its size; the level chosen costs the least ` +
        `time to compress plus time to send once at 10 Mbit/s; the pages use gzip ${PAGE_COMPRESSION.gzipLevel} ` +
        `and brotli ${PAGE_COMPRESSION.brotliQuality}` +
        (levels.every(
          ([, r]) => r.chosenGzip === PAGE_COMPRESSION.gzipLevel && r.chosenBrotli === PAGE_COMPRESSION.brotliQuality,
        )
          ? ', as this run chose on both corpora):'
          : `, which this run did not choose on every corpus; their cost is within ${fmt(100 * levelsExcess, 1)}% ` +
            `of the least):`),
      '',
      ...levels.flatMap(([label, report]) => [...levelsTable(label, report), '']),
      `Memory of a server, by stage (${PAGES} pages, project corpus; process.memoryUsage() after a full GC):`,
      '',
      '| Stage | RSS | Heap used | External (buffers) | Workers | Notes |',
      '| --- | --- | --- | --- | --- | --- |',
      ...stages.map(
        (st) =>
          `| ${st.stage} | ${st.rssMb} MB | ${st.heapUsedMb} MB | ${st.externalMb} MB | ${st.workers ?? ''} | ` +
          [
            st.bodyHtmlMb !== undefined ? `page bodies ${st.bodyHtmlMb} MB` : '',
            st.compressedPagesMb !== undefined ? `compressed pages ${st.compressedPagesMb} MB` : '',
          ]
            .filter(Boolean)
            .join(', ') +
          ' |',
      ),
      '',
      `Errors during load tests: ours ${serving.ours.errors + serving.oursBrotli.errors}, nginx ` +
        `${serving.nginx.errors}, minimal ${serving.minimal.errors + serving.minimalBrotli.errors}.` +
        (search ? ` ${searchErrorsLine(search)}` : ''),
    );
    const report = lines.join('\n');
    log(`\n${report}`);
    mkdirSync(path.join(PROJECT_ROOT, 'test-output'), { recursive: true });
    writeFileSync(path.join(PROJECT_ROOT, 'test-output', 'bench.md'), `${report}\n`);
    writeFileSync(path.join(PROJECT_ROOT, 'test', 'bench', 'results', 'bench.md'), `${report}\n`);
    const readme = intoReadme(report);
    log(
      '\n(written to test-output/bench.md, test/bench/results/bench.md and test/bench/results/growth.svg' +
        (readme ? ', and into README.md between its bench-results markers)' : ')'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
