/**
 * Files that change while the folder is read: a large file (read asynchronously, after the small ones) replaced by
 * a named pipe must not make the read wait for a writer, nor have what one writes taken for its bytes; a small file
 * (read at once, on the thread that answers requests) that grows meanwhile must not be read whole on that thread.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type * as Fs from 'node:fs';
import type * as FsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Runs before the asynchronous open of a path, when set. */
let beforeOpen: ((file: string) => void) | null = null;

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  const open = (file: Parameters<typeof real.open>[0], ...rest: unknown[]) => {
    beforeOpen?.(String(file));
    return (real.open as (...args: unknown[]) => ReturnType<typeof real.open>)(file, ...rest);
  };
  return { ...real, default: { ...real, open }, open };
});

/** Runs after each synchronous read of a path, with the bytes it read, when set. */
let onReadSync: ((file: string, bytesRead: number) => void) | null = null;

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof Fs>();
  const paths = new Map<number, string>();
  const openSync = (file: Fs.PathLike, ...rest: unknown[]) => {
    const fd = (real.openSync as (...args: unknown[]) => number)(file, ...rest);
    paths.set(fd, String(file));
    return fd;
  };
  const readSync = (fd: number, ...rest: unknown[]) => {
    const file = paths.get(fd);
    const n = (real.readSync as (...args: unknown[]) => number)(fd, ...rest);
    if (file !== undefined) onReadSync?.(file, n);
    return n;
  };
  return { ...real, default: { ...real, openSync, readSync }, openSync, readSync };
});

const { readContentFolder, SYNC_READ_MAX_BYTES } = await import('../../src/content/readContentFolder.js');

const cleanups: Array<() => void> = [];
afterEach(() => {
  beforeOpen = null;
  onReadSync = null;
  while (cleanups.length) cleanups.pop()!();
});

describe('reading a large file that became a named pipe', () => {
  it('reports it as not a regular file, without waiting for a writer', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'read-swap-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(path.join(root, 'small.md'), 'x');
    const big = path.join(root, 'big.pdf');
    writeFileSync(big, Buffer.alloc(SYNC_READ_MAX_BYTES + 1));
    let writer: ChildProcess | undefined;
    cleanups.push(() => writer?.kill());
    beforeOpen = (file) => {
      if (file !== big) return;
      beforeOpen = null;
      rmSync(big);
      execFileSync('mkfifo', [big]);
      // Unblocks a read that waits for a writer, after a second, with bytes that are not the file's.
      writer = spawn('sh', ['-c', 'sleep 1; printf piped > "$0"', big], { stdio: 'ignore' });
    };
    const started = performance.now();
    const read = await readContentFolder(root);
    expect(read.entries.find((e) => e.path === 'big.pdf')).toEqual({ path: 'big.pdf', kind: 'other' });
    expect(performance.now() - started).toBeLessThan(900);
  });
});

describe('reading a small file that grows while it is read', () => {
  it('reads no more than a little at once, and the whole file asynchronously', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'read-grow-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const file = path.join(root, 'growing.csv');
    writeFileSync(file, 'a,b\n');
    const more = Buffer.alloc(16 * 1024 * 1024, 'x');
    let readAtOnce = 0;
    let grown = false;
    onReadSync = (read, n) => {
      if (read !== file) return;
      readAtOnce += n;
      // A writer (a copy under way) appends as the read goes on.
      if (!grown) appendFileSync(file, more);
      grown = true;
    };
    const folder = await readContentFolder(root);
    expect(grown).toBe(true);
    expect(readAtOnce).toBeLessThanOrEqual(4 * SYNC_READ_MAX_BYTES);
    expect(folder.entries.find((e) => e.path === 'growing.csv')?.bytes?.length).toBe(4 + more.length);
  });
});
