import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readContentFolder } from '../../src/content/readContentFolder.js';
import { StoreConflictError, StorePathError, versionOf } from '../../src/store/contentStore.js';
import { FsContentStore, TRASH_FOLDER } from '../../src/store/fsContentStore.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A content folder inside a parent that also holds a secret, to catch escapes. */
function folder(files: Record<string, string> = {}): { root: string; parent: string } {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'store-'));
  cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
  const root = path.join(parent, 'content');
  mkdirSync(root);
  writeFileSync(path.join(parent, 'secret.txt'), 'do not touch');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return { root, parent };
}

const read = (root: string, rel: string) => readFileSync(path.join(root, rel), 'utf8');

describe('the file-system content store', () => {
  it('reads a file with its version, and says when there is none', async () => {
    const { root } = folder({ 'a.md': 'one' });
    const store = await FsContentStore.open(root);
    expect(await store.read('a.md')).toEqual({
      path: 'a.md',
      bytes: Buffer.from('one'),
      version: versionOf(Buffer.from('one')),
    });
    expect(await store.read('missing.md')).toBeNull();
  });

  it('writes when the writer saw the current version, creating folders as needed', async () => {
    const { root } = folder({ 'a.md': 'one' });
    const store = await FsContentStore.open(root);
    const current = (await store.read('a.md'))!;
    const version = await store.write('a.md', Buffer.from('two'), { expectedVersion: current.version });
    expect(version).toBe(versionOf(Buffer.from('two')));
    expect(read(root, 'a.md')).toBe('two');
    await store.write('news/2027/launch.md', Buffer.from('new'), { expectedVersion: null });
    expect(read(root, 'news/2027/launch.md')).toBe('new');
  });

  it(
    'refuses a stale write and loses nothing: the newer text stays, the ' + 'writer learns the current version',
    async () => {
      const { root } = folder({ 'a.md': 'original' });
      const store = await FsContentStore.open(root);
      const opened = (await store.read('a.md'))!;
      await store.write('a.md', Buffer.from('saved first'), { expectedVersion: opened.version });
      const stale = store.write('a.md', Buffer.from('saved second'), { expectedVersion: opened.version });
      await expect(stale).rejects.toBeInstanceOf(StoreConflictError);
      await expect(stale).rejects.toMatchObject({ currentVersion: versionOf(Buffer.from('saved first')) });
      expect(read(root, 'a.md')).toBe('saved first');
      // Creating a file that exists is a conflict too.
      await expect(store.write('a.md', Buffer.from('x'), { expectedVersion: null })).rejects.toBeInstanceOf(
        StoreConflictError,
      );
    },
  );

  it('serialises concurrent writes: of two saves from the same version, one wins and one is refused', async () => {
    const { root } = folder({ 'a.md': 'v0' });
    const store = await FsContentStore.open(root);
    const v0 = (await store.read('a.md'))!.version;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.write('a.md', Buffer.from(`writer ${i}`), { expectedVersion: v0 })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof StoreConflictError),
    ).toBe(true);
    expect(read(root, 'a.md')).toBe('writer 0');
    // A chain of writes each naming the version before it all succeed, in order.
    let version = versionOf(Buffer.from('writer 0'));
    for (let i = 0; i < 5; i++)
      version = await store.write('a.md', Buffer.from(`step ${i}`), { expectedVersion: version });
    expect(read(root, 'a.md')).toBe('step 4');
  });

  it('leaves the old file whole when the write crashes between the temporary file and the rename', async () => {
    const { root } = folder({ 'a.md': 'old text' });
    let temp = '';
    const crashing = await FsContentStore.open(root, {
      faults: {
        beforeRename: (t) => {
          temp = t;
          throw new Error('power cut');
        },
      },
    });
    const v = (await crashing.read('a.md'))!.version;
    await expect(crashing.write('a.md', Buffer.from('new text'), { expectedVersion: v })).rejects.toThrow('power cut');
    expect(read(root, 'a.md')).toBe('old text');
    expect(path.dirname(temp)).toBe(root);
    expect(path.basename(temp).startsWith('.')).toBe(true);
    // The store tidies after itself; a temporary file a real crash leaves is hidden from the site...
    expect(existsSync(temp)).toBe(false);
    writeFileSync(temp, 'half writ');
    expect((await readContentFolder(root)).entries.map((e) => e.path)).toEqual(['a.md']);
    // ...and swept away, once old, when the store next opens.
    const old = new Date(Date.now() - 60 * 60 * 1000);
    utimesSync(temp, old, old);
    await FsContentStore.open(root);
    expect(existsSync(temp)).toBe(false);
    expect(read(root, 'a.md')).toBe('old text');
  });

  it('refuses paths outside the folder, hidden paths and odd names before touching the disk', async () => {
    const { root, parent } = folder({ 'a.md': 'x' });
    const store = await FsContentStore.open(root);
    const hostile = [
      '../secret.txt',
      '/etc/passwd',
      'a/../../secret.txt',
      'a\\..\\secret.txt',
      '.git/config',
      'docs/.env',
      '',
      'a//b.md',
      './a.md',
      'a.md\u0000.png',
      '%2e%2e/secret.txt',
      'x/..',
    ];
    for (const p of hostile) {
      await expect(store.write(p, Buffer.from('pwned'), { expectedVersion: null }), p).rejects.toBeInstanceOf(
        StorePathError,
      );
      await expect(store.read(p), p).rejects.toBeInstanceOf(StorePathError);
    }
    expect(readFileSync(path.join(parent, 'secret.txt'), 'utf8')).toBe('do not touch');
    expect(readdirSync(parent).sort()).toEqual(['content', 'secret.txt']);
  });

  it('never follows a symbolic link, in the file or in a folder on the way', async () => {
    const { root, parent } = folder({ 'a.md': 'x' });
    mkdirSync(path.join(parent, 'elsewhere'));
    symlinkSync(path.join(parent, 'secret.txt'), path.join(root, 'link.md'));
    symlinkSync(path.join(parent, 'elsewhere'), path.join(root, 'linked-folder'));
    const store = await FsContentStore.open(root);
    await expect(store.read('link.md')).rejects.toBeInstanceOf(StorePathError);
    const linkVersion = versionOf(Buffer.from('do not touch'));
    await expect(store.write('link.md', Buffer.from('pwned'), { expectedVersion: linkVersion })).rejects.toBeInstanceOf(
      StorePathError,
    );
    await expect(
      store.write('linked-folder/page.md', Buffer.from('pwned'), { expectedVersion: null }),
    ).rejects.toBeInstanceOf(StorePathError);
    await expect(store.remove('link.md', { expectedVersion: linkVersion })).rejects.toBeInstanceOf(StorePathError);
    expect(readFileSync(path.join(parent, 'secret.txt'), 'utf8')).toBe('do not touch');
    expect(readdirSync(path.join(parent, 'elsewhere'))).toEqual([]);
  });

  it(
    'removes into the trash, never deleting: history lists the removed ' +
      'version and restore brings it back as a new change',
    async () => {
      const { root } = folder({ 'news/a.md': 'first text' });
      let now = Date.parse('2027-01-01T10:00:00Z');
      const store = await FsContentStore.open(root, { now: () => now });
      const v = (await store.read('news/a.md'))!.version;
      await expect(store.remove('news/a.md', { expectedVersion: 'sha256-stale' })).rejects.toBeInstanceOf(
        StoreConflictError,
      );
      await store.remove('news/a.md', { expectedVersion: v, author: { name: 'Ann', email: 'ann@example.org' } });
      expect(existsSync(path.join(root, 'news/a.md'))).toBe(false);
      expect((await readContentFolder(root)).entries.map((e) => e.path)).toEqual([]);

      now += 60_000;
      await store.write('news/a.md', Buffer.from('second text'), { expectedVersion: null });
      const second = (await store.read('news/a.md'))!.version;
      await store.remove('news/a.md', { expectedVersion: second });
      const history = (await store.history('news/a.md')).entries;
      expect(history.map((h) => [h.action, h.author])).toEqual([
        ['removed', null],
        ['removed', 'Ann <ann@example.org>'],
      ]);
      expect((await store.readAt('news/a.md', history[0]!.id))?.toString()).toBe('second text');
      expect(readdirSync(path.join(root, TRASH_FOLDER))).toHaveLength(2);

      await store.restore('news/a.md', history[1]!.id, { expectedVersion: null });
      expect(read(root, 'news/a.md')).toBe('first text');
      await expect(store.restore('news/a.md', '../../secret', { expectedVersion: null })).rejects.toBeInstanceOf(
        StorePathError,
      );
    },
  );

  it('moves a file only when it is unchanged and the target is free', async () => {
    const { root } = folder({ 'a.md': 'A', 'b.md': 'B' });
    const store = await FsContentStore.open(root);
    const va = (await store.read('a.md'))!.version;
    await expect(store.move('a.md', 'b.md', { expectedVersion: va })).rejects.toBeInstanceOf(StoreConflictError);
    await expect(store.move('a.md', '../a.md', { expectedVersion: va })).rejects.toBeInstanceOf(StorePathError);
    await store.move('a.md', 'section/c.md', { expectedVersion: va });
    expect(read(root, 'section/c.md')).toBe('A');
    expect(existsSync(path.join(root, 'a.md'))).toBe(false);
  });
});
