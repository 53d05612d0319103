/** Measuring tools for the benchmark: child processes with peak memory, wrk, readiness. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const RSS_WRAPPER = path.join(HERE, 'rss-wrapper.mjs');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface RunResult {
  seconds: number;
  maxRssMb: number;
  output: string;
}

/** Runs a Node.js script to completion; wall time and its peak RSS (via the wrapper). */
export async function runNodeScript(
  script: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), RSS_WRAPPER, script, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${script} exited ${code}:\n${output.slice(-2000)}`);
  const kb = Number(/BENCH_MAXRSS_KB=(\d+)/.exec(output)?.[1] ?? NaN);
  return { seconds, maxRssMb: kb / 1024, output };
}

export function get(
  port: number,
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers, agent: false, timeout: 5000 }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

/** Polls until the URL answers 200; returns the seconds since `since`. Bounded by a deadline. */
export async function waitForOk(port: number, urlPath: string, since: number, deadlineMs = 30_000): Promise<number> {
  for (;;) {
    try {
      const res = await get(port, urlPath);
      if (res.status === 200) return (performance.now() - since) / 1000;
    } catch {
      /* not listening yet */
    }
    if (performance.now() - since > deadlineMs) throw new Error(`no 200 from ${urlPath} within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function rssOfProcessMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

export interface WrkResult {
  requestsPerSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60000;
}

/** wrk pinned to one core: 50 connections, one thread, for `seconds`. */
export function wrk(
  url: string,
  options: { cpu: number; seconds: number; connections: number; headers?: Record<string, string> },
): WrkResult {
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const result = spawnSync(
    'taskset',
    [
      '-c',
      String(options.cpu),
      'wrk',
      '-t1',
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--latency',
      ...headerArgs,
      url,
    ],
    { encoding: 'utf8', timeout: (options.seconds + 30) * 1000 },
  );
  const out = result.stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const p50 = toMs(/50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = toMs(/99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((s, n) => s + Number(n), 0) : 0);
  if (!Number.isFinite(rps)) throw new Error(`wrk failed: ${result.stderr || out}`);
  return { requestsPerSecond: rps, p50ms: p50, p99ms: p99, errors };
}

export function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}
