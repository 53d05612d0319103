#!/usr/bin/env node
// @ts-check
/**
 * `npm run load`: starts the production server (node dist/cli/start.js) on
 * 127.0.0.1, runs autocannon against a mix of pages, assets and a download
 * (50 connections, 20 s), prints requests per second, p50 and p99 latency,
 * errors and non-2xx answers, stops the server with SIGTERM, and exits
 * non-zero on any error, timeout, non-2xx answer or unclean shutdown.
 *
 * Settings (environment): LOAD_CONNECTIONS (50), LOAD_DURATION_S (20),
 * LOAD_EXTRA_PATHS (comma-separated paths to add to the mix). The server
 * reads its usual settings (CONTENT_DIR, LOG_LEVEL, ...).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 50);
const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 20);

/** Pages always in the mix; fingerprinted assets and downloads are found from the pages themselves. */
const PAGES = [
  '/',
  '/about/',
  '/work-streams/',
  '/work-streams/key-performance-indicators/',
  '/regional-projects/',
  '/documents/',
  '/accessibility/',
  '/sitemap.xml',
];
/** Where to look for a download link, and what counts as one. */
const DOWNLOAD_PAGES = ['/documents/'];
const DOWNLOAD_LINK = /href="(\/[^"#?]+\.(?:pdf|csv|xlsx?|ods|docx?|odt|pptx?|odp|zip|txt))"/i;

/** @returns {Promise<{ child: import('node:child_process').ChildProcess, origin: string }>} */
function startServer() {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli', 'start.js')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let pending = '';
    let started = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (/** @type {string} */ chunk) => {
      // After the start line, logs (one line per request) are read and dropped.
      if (started) return;
      pending += chunk;
      const match = /Serving \d+ pages at http:\/\/[^:]+:(\d+)\//.exec(pending);
      if (match) {
        started = true;
        resolve({ child, origin: `http://127.0.0.1:${match[1]}` });
      }
    });
    child.once('exit', (code) => {
      if (!started) reject(new Error(`the server exited with code ${code} before listening`));
    });
  });
}

/** @param {string} origin */
async function discoverPaths(origin) {
  const home = await (await fetch(`${origin}/`)).text();
  const assets = [...home.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  // Modules the page's script imports (the NHS.UK frontend bundle).
  for (const script of assets.filter((a) => a.endsWith('.js'))) {
    const text = await (await fetch(`${origin}${script}`)).text();
    assets.push(...[...text.matchAll(/["'](\/assets\/[^"']+\.js)["']/g)].map((m) => m[1]));
  }
  const downloads = [];
  for (const page of DOWNLOAD_PAGES) {
    const res = await fetch(`${origin}${page}`);
    if (!res.ok) continue;
    const link = DOWNLOAD_LINK.exec(await res.text());
    if (link) downloads.push(link[1]);
  }
  const extra = (process.env.LOAD_EXTRA_PATHS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { pages: PAGES, assets: [...new Set(assets)], downloads: [...downloads, ...extra] };
}

/** @param {import('node:child_process').ChildProcess} child */
function stopServer(child) {
  return new Promise((resolve) => {
    const started = Date.now();
    child.once('exit', (code) => resolve({ code, ms: Date.now() - started }));
    child.kill('SIGTERM');
  });
}

async function main() {
  const { child, origin } = await startServer();
  let failed = false;
  try {
    const { pages, assets, downloads } = await discoverPaths(origin);
    const paths = [...pages, ...assets, ...downloads];
    for (const p of paths) {
      const res = await fetch(`${origin}${p}`, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${p} answers ${res.status}, not 200: fix the mix before measuring`);
    }
    console.log(`Load: ${CONNECTIONS} connections for ${DURATION_S} s against ${origin}`);
    console.log(`  pages: ${pages.join(' ')}`);
    console.log(`  assets: ${assets.join(' ')}`);
    const none = 'none found (add with LOAD_EXTRA_PATHS or a link on /documents/)';
    console.log(`  downloads: ${downloads.length > 0 ? downloads.join(' ') : none}`);

    const result = await autocannon({
      url: origin,
      connections: CONNECTIONS,
      duration: DURATION_S,
      requests: paths.map((p) => ({ method: 'GET', path: p })),
    });

    const non2xx = result.non2xx;
    console.log('');
    console.log(`Requests:     ${result.requests.total} in ${result.duration.toFixed(1)} s`);
    console.log(
      `Requests/s:   ${result.requests.average.toFixed(0)} average (min ` +
        `${result.requests.min}, max ${result.requests.max})`,
    );
    console.log(
      `Latency:      p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
    );
    console.log(`Throughput:   ${(result.throughput.average / 1024 / 1024).toFixed(1)} MB/s average`);
    console.log(`Errors:       ${result.errors} (timeouts ${result.timeouts})`);
    console.log(`Non-2xx:      ${non2xx}`);
    if (result.errors > 0 || result.timeouts > 0 || non2xx > 0) failed = true;
  } finally {
    const stopped = /** @type {{ code: number | null, ms: number }} */ (await stopServer(child));
    console.log(`Shutdown:     exit code ${stopped.code} after ${stopped.ms} ms`);
    if (stopped.code !== 0) failed = true;
  }
  if (failed) {
    console.error('Load test FAILED: see errors, non-2xx answers or shutdown above.');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`Load test could not run: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
