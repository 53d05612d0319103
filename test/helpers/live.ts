/** Helpers for tests of live reloading: captured logs, a controllable clock, waiting for a condition. */
import { mkdirSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';
import type { Clock } from '../../src/live/liveSite.js';

export function capturedLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export interface FakeClock extends Clock {
  /** Moves time forward and runs the timers that fall due, in order. */
  advanceTo(instant: number): void;
  pendingTimers(): number[];
}

export function fakeClock(start: number): FakeClock {
  let now = start;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => now,
    setTimer(fn, ms) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advanceTo(instant) {
      now = instant;
      for (;;) {
        const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        due.fn();
      }
    },
    pendingTimers: () => timers.map((t) => t.at).sort((a, b) => a - b),
  };
}

export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The server's base URL and a GET that returns status, text and headers. */
export function clientFor(server: http.Server) {
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (url: string) => {
    const res = await fetch(base + url);
    return { status: res.status, text: await res.text(), headers: res.headers };
  };
  return { base, get };
}

/** Writes a file into a content folder, making its folders as needed (a real save, for the watcher). */
export function writerFor(contentDir: string) {
  return (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(contentDir, rel)), { recursive: true });
    writeFileSync(path.join(contentDir, rel), text);
  };
}
