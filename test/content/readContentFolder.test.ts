import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  listContentFolder,
  readContentFolder,
  readContentPaths,
  SYNC_READ_MAX_BYTES,
} from '../../src/content/readContentFolder.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function folder(files: Record<string, Buffer | string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'read-content-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), bytes);
  }
  return root;
}

/** Bytes that differ from one position to the next, so that a short or shifted read shows. */
function patterned(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

describe('reading the content folder', () => {
  it('reads every file whole, small (read at once) and large (asynchronously) alike, with its identity', async () => {
    const files: Record<string, Buffer> = {
      'empty.md': Buffer.alloc(0),
      'one.md': Buffer.from('x'),
      'at-limit.md': patterned(SYNC_READ_MAX_BYTES, 1),
      'over-limit.csv': patterned(SYNC_READ_MAX_BYTES + 1, 2),
      'documents/big/report.pdf': patterned(3 * SYNC_READ_MAX_BYTES + 17, 3),
    };
    // Enough small pages for several batches, so that reading yields between them.
    for (let i = 0; i < 600; i++) files[`section/page-${String(i).padStart(3, '0')}.md`] = patterned(2000 + i, i);
    const root = folder(files);

    let turns = 0;
    const ticking = setInterval(() => turns++, 0);
    const read = await readContentFolder(root).finally(() => clearInterval(ticking));

    expect(read.entries.map((e) => e.path)).toEqual(Object.keys(files).sort());
    for (const entry of read.entries) {
      expect(entry.kind).toBe('file');
      expect(entry.bytes!.equals(files[entry.path]!), entry.path).toBe(true);
      // Each file's bytes stand alone (not a slice of a shared pool): they are kept and sent to workers.
      expect(entry.bytes!.buffer.byteLength).toBeLessThanOrEqual(Math.max(entry.bytes!.length, 1));
      const stat = lstatSync(path.join(root, entry.path));
      expect(entry.identity).toEqual({
        dev: stat.dev,
        ino: stat.ino,
        size: stat.size,
        mtimeMs: stat.mtimeMs,
        ctimeMs: stat.ctimeMs,
      });
      expect(entry.mtimeMs).toBe(stat.mtimeMs);
    }
    // The event loop turned while 1.2 MB of small files were read: requests are answered meanwhile.
    expect(turns).toBeGreaterThan(0);
  });

  it('reports links and special files as they are, and reads changed paths the same way', async () => {
    const root = folder({ 'a.md': 'alpha', 'sub/b.md': 'beta', 'sub/c.csv': patterned(SYNC_READ_MAX_BYTES * 2, 9) });
    symlinkSync(path.join(root, 'a.md'), path.join(root, 'link.md'));
    let fifo = false;
    try {
      execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
      fifo = true;
    } catch {
      // No mkfifo here: the rest still holds.
    }
    const all = await readContentFolder(root);
    expect(all.entries.map((e) => [e.path, e.kind])).toEqual([
      ['a.md', 'file'],
      ['link.md', 'symlink'],
      ...(fifo ? [['pipe.md', 'other']] : []),
      ['sub/b.md', 'file'],
      ['sub/c.csv', 'file'],
    ]);
    const changed = await readContentPaths(root, ['sub', 'a.md', 'gone.md']);
    expect(changed.map((e) => [e.path, e.bytes?.length])).toEqual([
      ['a.md', 5],
      ['sub/b.md', 4],
      ['sub/c.csv', SYNC_READ_MAX_BYTES * 2],
    ]);
    expect((await listContentFolder(root)).every((e) => e.bytes === undefined)).toBe(true);
  });
});
