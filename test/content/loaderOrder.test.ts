import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentLoader, folderSource } from '../../src/content/loadContent.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';

describe('the folder a reload builds from', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('lists every file once, in order, as files are edited, added, removed and folders come and go', async () => {
    const temp = tempContent(minimalFiles({ 'b/index.md': page('title: B\ndescription: D') }));
    cleanup = temp.cleanup;
    const loader = new ContentLoader(folderSource(temp.dir));
    const paths = async (changes: string[] | 'all') =>
      (await loader.load(changes, 0)).folder!.entries.map((e) => e.path);
    const sorted = (list: string[]) => [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const first = await paths('all');
    expect(first).toEqual(sorted(first));

    writeFileSync(path.join(temp.dir, 'index.md'), page('title: Home\ndescription: The home page.', 'Edited.\n'));
    const edited = await loader.load(['index.md'], 0);
    expect(edited.folder!.entries.map((e) => e.path)).toEqual(first);
    expect(edited.folder!.entries.find((e) => e.path === 'index.md')!.bytes!.toString()).toContain('Edited.');

    writeFileSync(path.join(temp.dir, 'a.md'), page('title: A\ndescription: D'));
    expect(await paths(['a.md'])).toEqual(sorted([...first, 'a.md']));

    mkdirSync(path.join(temp.dir, 'c'));
    writeFileSync(path.join(temp.dir, 'c/index.md'), page('title: C\ndescription: D'));
    writeFileSync(path.join(temp.dir, 'c/one.md'), page('title: C one\ndescription: D'));
    expect(await paths(['c'])).toEqual(sorted([...first, 'a.md', 'c/index.md', 'c/one.md']));

    rmSync(path.join(temp.dir, 'a.md'));
    rmSync(path.join(temp.dir, 'c'), { recursive: true });
    expect(await paths(['a.md', 'c'])).toEqual(first);
  });

  it('lists no file that is gone when a folder and a file in it are both named in one reload', async () => {
    // The watcher names a folder and its files alike (addDir, add): reading "c" and "c/index.md" yields
    // c/index.md twice, as many entries as the two that went (c/index.md, c/old.md).
    const temp = tempContent(
      minimalFiles({ 'c/index.md': page('title: C\ndescription: D'), 'c/old.md': page('title: Old\ndescription: D') }),
    );
    cleanup = temp.cleanup;
    const loader = new ContentLoader(folderSource(temp.dir));
    await loader.load('all', 0);
    rmSync(path.join(temp.dir, 'c/old.md'));
    writeFileSync(path.join(temp.dir, 'c/index.md'), page('title: C\ndescription: D', 'Edited.\n'));
    const loaded = await loader.load(['c/index.md', 'c/old.md', 'c'], 0);
    const paths = loaded.folder!.entries.map((e) => e?.path);
    expect(paths).not.toContain('c/old.md');
    expect(paths).not.toContain(undefined);
    expect(paths.filter((p) => p === 'c/index.md')).toHaveLength(1);
  });
});
