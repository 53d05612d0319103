import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreConflictError, StorePathError, versionOf } from '../../src/store/contentStore.js';
import { FsContentStore } from '../../src/store/fsContentStore.js';
import { GitContentStore } from '../../src/store/gitContentStore.js';
import { GIT_ISOLATED_ENV } from '../helpers/git.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function folder(files: Record<string, string> = {}): { root: string; parent: string } {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'git-store-'));
  cleanups.push(() => rmSync(parent, { recursive: true, force: true }));
  const root = path.join(parent, 'content');
  mkdirSync(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return { root, parent };
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: GIT_ISOLATED_ENV,
  }).toString('utf8');
const alice = { name: 'Alice Smith', email: 'alice@example.org' };
const bob = { name: 'Bob Jones', email: 'bob@example.org' };

describe('the git content store', () => {
  it('creates a repository for a folder outside one, with the folder as the first commit', async () => {
    const { root } = folder({ 'a.md': 'one', 'docs/b.md': 'two' });
    const store = await GitContentStore.open(root);
    expect(existsSync(path.join(root, '.git'))).toBe(true);
    expect(git(root, 'log', '--format=%s')).toBe('Start the history of the content folder\n');
    expect(git(root, 'ls-files').split('\n').filter(Boolean).sort()).toEqual(['a.md', 'docs/b.md']);
    expect(await store.head()).toMatch(/^[0-9a-f]{40}$/);
    // Opening again changes nothing.
    await GitContentStore.open(root);
    expect(git(root, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  });

  it('leaves dot-files and dot-folders out of the first commit: content paths only, as the loader reads', async () => {
    const { root } = folder({
      'a.md': 'one',
      'docs/b.md': 'two',
      '..data/users.json': '{"users":[]}',
      '.data/audit.log': 'secret\n',
      '.env': 'TOKEN=secret',
      'docs/.notes.md': 'private',
      'node_modules/x/index.js': 'x',
    });
    await GitContentStore.open(root);
    expect(git(root, 'ls-files').split('\n').filter(Boolean).sort()).toEqual(['a.md', 'docs/b.md']);
  });

  it('makes one commit per save, with the person as author and a message naming the page and the action', async () => {
    const { root } = folder({ 'a.md': 'one\n' });
    const store = await GitContentStore.open(root);
    const opened = (await store.read('a.md'))!;
    await store.write('a.md', Buffer.from('two\n'), {
      expectedVersion: opened.version,
      author: alice,
      message: 'Edit "A" (a.md)',
    });
    expect(readFileSync(path.join(root, 'a.md'), 'utf8')).toBe('two\n');
    expect(git(root, 'log', '-1', '--format=%an <%ae>|%cn|%s')).toBe(
      'Alice Smith <alice@example.org>|Website editor|Edit "A" (a.md)\n',
    );
    expect(git(root, 'status', '--porcelain')).toBe('');
    const history = (await store.history('a.md')).entries;
    expect(history.map((h) => [h.action, h.author])).toEqual([
      ['saved', 'Alice Smith <alice@example.org>'],
      ['saved', 'Website editor <editor@localhost>'],
    ]);
    expect(await Promise.all(history.map((h) => store.readAt('a.md', h.id)))).toEqual([
      Buffer.from('two\n'),
      Buffer.from('one\n'),
    ]);
  });

  it('refuses a stale write and loses nothing', async () => {
    const { root } = folder({ 'a.md': 'original' });
    const store = await GitContentStore.open(root);
    const opened = (await store.read('a.md'))!;
    await store.write('a.md', Buffer.from('first'), { expectedVersion: opened.version, author: alice });
    await expect(
      store.write('a.md', Buffer.from('second'), { expectedVersion: opened.version, author: bob }),
    ).rejects.toBeInstanceOf(StoreConflictError);
    expect(readFileSync(path.join(root, 'a.md'), 'utf8')).toBe('first');
    expect(git(root, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });

  it('restores an earlier version as a new commit, never a reset', async () => {
    const { root } = folder({ 'a.md': 'v1' });
    const store = await GitContentStore.open(root);
    let version = (await store.read('a.md'))!.version;
    version = await store.write('a.md', Buffer.from('v2'), { expectedVersion: version, author: alice });
    version = await store.write('a.md', Buffer.from('v3'), { expectedVersion: version, author: bob });
    const [, second] = (await store.history('a.md')).entries;
    expect(await store.readAt('a.md', second!.id)).toEqual(Buffer.from('v2'));
    await store.restore('a.md', second!.id, { expectedVersion: version, author: alice, message: 'Restore a.md' });
    expect(readFileSync(path.join(root, 'a.md'), 'utf8')).toBe('v2');
    expect(git(root, 'log', '--format=%s')).toBe(
      'Restore a.md\nSave a.md\nSave a.md\nStart the history of the content folder\n',
    );
    expect(await store.readAt('a.md', 'not-a-commit')).toBeNull();
    await expect(store.restore('a.md', 'f'.repeat(40), { expectedVersion: null })).rejects.toBeInstanceOf(
      StorePathError,
    );
  });

  it('removes to the trash: the removal is a commit, and the file comes back from history', async () => {
    const { root } = folder({ 'a.md': 'keep me', 'b.md': 'b' });
    const store = await GitContentStore.open(root);
    const opened = (await store.read('a.md'))!;
    await store.remove('a.md', { expectedVersion: opened.version, author: alice, message: 'Delete a.md' });
    expect(existsSync(path.join(root, 'a.md'))).toBe(false);
    expect(git(root, 'status', '--porcelain')).toBe('');
    const trash = (await store.trash()).entries;
    expect(trash.map((t) => [t.path, t.action])).toEqual([['a.md', 'removed']]);
    expect(await store.readAt('a.md', trash[0]!.id)).toEqual(Buffer.from('keep me'));
    await store.restore('a.md', trash[0]!.id, { expectedVersion: null, author: bob });
    expect(readFileSync(path.join(root, 'a.md'), 'utf8')).toBe('keep me');
    expect(await store.trash()).toEqual({ entries: [], older: null });
  });

  it('commits a change made by hand on its own before the next save, so a restore cannot lose it', async () => {
    const { root } = folder({ 'a.md': 'v1' });
    const store = await GitContentStore.open(root);
    writeFileSync(path.join(root, 'a.md'), 'hand edit');
    await store.write('a.md', Buffer.from('browser edit'), {
      expectedVersion: versionOf(Buffer.from('hand edit')),
      author: alice,
    });
    expect(git(root, 'log', '--format=%an|%s')).toBe(
      'Alice Smith|Save a.md\nChanged outside the editor' +
        '|Record changes to a.md made outside the editor\nWebsite editor|Start the history of the content folder\n',
    );
  });

  it('uses the repository the folder is in, committing only content paths and leaving staged work alone', async () => {
    const { root, parent } = folder({ 'a.md': 'v1' });
    writeFileSync(path.join(parent, 'code.ts'), 'x');
    git(parent, 'init', '-q');
    git(parent, 'add', '-A');
    git(parent, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.org', 'commit', '-q', '-m', 'project');
    writeFileSync(path.join(parent, 'code.ts'), 'work in progress');
    git(parent, 'add', 'code.ts');
    const store = await GitContentStore.open(root);
    expect(existsSync(path.join(root, '.git'))).toBe(false);
    await store.write('a.md', Buffer.from('v2'), { expectedVersion: versionOf(Buffer.from('v1')), author: alice });
    expect(git(parent, 'show', '--name-only', '--format=%s', 'HEAD')).toBe('Save a.md\n\ncontent/a.md\n');
    expect(git(parent, 'diff', '--cached', '--name-only')).toBe('code.ts\n');
    expect((await store.history('a.md')).entries.length).toBe(2);
  });

  it(
    'never passes a path where git could read an option,' + ' and refuses paths outside the folder and symbolic links',
    async () => {
      const { root, parent } = folder({ 'a.md': 'one' });
      const store = await GitContentStore.open(root);
      for (const bad of [
        '--output=x',
        '-n',
        ':(glob)*',
        '../outside.md',
        '/etc/passwd',
        'a/../../x.md',
        '.git/config',
        '.trash/x',
      ]) {
        await expect(store.write(bad, Buffer.from('x'), { expectedVersion: null })).rejects.toBeInstanceOf(
          StorePathError,
        );
        await expect(store.history(bad)).rejects.toBeInstanceOf(StorePathError);
      }
      symlinkSync(parent, path.join(root, 'linked'));
      await expect(store.write('linked/x.md', Buffer.from('x'), { expectedVersion: null })).rejects.toBeInstanceOf(
        StorePathError,
      );
      expect(existsSync(path.join(parent, 'x.md'))).toBe(false);
    },
  );

  it('serialises concurrent writes into one commit each', async () => {
    const { root } = folder({ 'a.md': 'a' });
    const store = await GitContentStore.open(root);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        store.write(`page-${i}.md`, Buffer.from(`p${i}`), { expectedVersion: null, author: alice }),
      ),
    );
    expect(git(root, 'rev-list', '--count', 'HEAD').trim()).toBe('9');
    expect(git(root, 'status', '--porcelain')).toBe('');
  });
});

describe('the trash, on both stores', () => {
  for (const [name, open] of [
    ['file system', (root: string) => FsContentStore.open(root)],
    ['git', (root: string) => GitContentStore.open(root)],
  ] as const) {
    it(`${name}: lists removed files until they come back, and reads their bytes`, async () => {
      const { root } = folder({ 'a.md': 'kept', 'b.md': 'other' });
      const store = await open(root);
      await store.remove('a.md', { expectedVersion: versionOf(Buffer.from('kept')) });
      const [entry, ...rest] = (await store.trash()).entries;
      expect(rest).toEqual([]);
      expect(entry).toMatchObject({ path: 'a.md', action: 'removed' });
      expect(await store.readAt('a.md', entry!.id)).toEqual(Buffer.from('kept'));
      await store.restore('a.md', entry!.id, { expectedVersion: null });
      expect(await store.trash()).toEqual({ entries: [], older: null });
    });
  }
});

describe('history a page at a time, on both stores', () => {
  for (const [name, open] of [
    ['file system', (root: string) => FsContentStore.open(root)],
    ['git', (root: string) => GitContentStore.open(root)],
  ] as const) {
    it(`${name}: pages through every entry, newest first, each once`, async () => {
      const { root } = folder({});
      const store = await open(root);
      for (let i = 0; i < 7; i++) {
        await store.write('a.md', Buffer.from(`v${i}`), { expectedVersion: null });
        await store.remove('a.md', { expectedVersion: versionOf(Buffer.from(`v${i}`)) });
      }
      const seen: string[] = [];
      let from: string | undefined;
      for (let pages = 0; pages < 10; pages++) {
        const page = await store.history('a.md', { limit: 3, ...(from ? { from } : {}) });
        seen.push(...page.entries.map((e) => e.id));
        if (page.older === null) break;
        from = page.older;
      }
      const all = (await store.history('a.md', { limit: 100 })).entries.map((e) => e.id);
      expect(seen).toEqual(all);
      expect(new Set(all).size).toBe(all.length);
      expect(all.length).toBeGreaterThanOrEqual(7);
      expect(await store.history('a.md', { from: 'f'.repeat(40) })).toEqual({ entries: [], older: null });
    });
  }
});

describe('listing, on both stores', () => {
  for (const [name, open] of [
    ['file system', (root: string) => FsContentStore.open(root)],
    ['git', (root: string) => GitContentStore.open(root)],
  ] as const) {
    it(`${name}: lists the content paths as the loader reads them, without reading a byte`, async () => {
      const { root, parent } = folder({ 'a.md': 'a', 'docs/b.pdf': '%PDF-', '.env': 'x', 'docs/.hidden': 'x' });
      symlinkSync(path.join(parent, 'outside.md'), path.join(root, 'link.md'));
      const store = await open(root);
      const listed = await store.list();
      expect(listed).toEqual([
        { path: 'a.md', kind: 'file' },
        { path: 'docs/b.pdf', kind: 'file' },
        { path: 'link.md', kind: 'symlink' },
      ]);
    });
  }
});
