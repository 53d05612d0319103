/**
 * A large file (read asynchronously, after the small ones) replaced by a named pipe between the listing and the
 * read: the read must not wait for a writer, nor take what one writes for the file's bytes.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const { readContentFolder, SYNC_READ_MAX_BYTES } = await import('../../src/content/readContentFolder.js');

const cleanups: Array<() => void> = [];
afterEach(() => {
  beforeOpen = null;
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
