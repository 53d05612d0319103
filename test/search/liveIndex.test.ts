import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import type { SiteModel } from '../../src/content/model.js';
import { PageCache } from '../../src/content/pageCache.js';
import { LiveSearchIndex } from '../../src/search/liveIndex.js';
import { documentPage, libraryFiles, memoryFolderOf } from '../helpers/documents.js';
import { memoryFolder, minimalFiles, page } from '../helpers/site.js';

/** A scheduler the test turns by hand: each call runs the slices waiting. */
function manualScheduler() {
  const waiting: Array<() => void> = [];
  return {
    schedule: (next: () => void) => void waiting.push(next),
    run(): number {
      const now = waiting.splice(0);
      for (const slice of now) slice();
      return now.length;
    },
    runAll(): number {
      let slices = 0;
      while (waiting.length > 0) slices += this.run();
      return slices;
    },
  };
}

function manyPages(n: number, word = 'dataset'): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++)
    files[`p${i}.md`] = page(`title: Page ${i}\ndescription: Page ${i}.`, `About the ${word} number ${i}.\n`);
  return minimalFiles(files);
}

/** The public view of a build, or its preview (drafts too). */
function model(files: Record<string, string>, cache?: PageCache, preview = false): SiteModel {
  const result = buildSite(memoryFolder(files), cache ? { cache } : {});
  const view = preview ? result.preview : result.site;
  if (!view) throw new Error(JSON.stringify(result.diagnostics));
  return view;
}

describe('the live search index', () => {
  it('builds in slices between turns of the event loop, and is not ready until the whole version is in', () => {
    const scheduler = manualScheduler();
    const index = new LiveSearchIndex({ schedule: scheduler.schedule, sliceMs: 0 });
    const site = model(manyPages(20));
    index.sync(site);
    expect(index.ready).toBe(false);
    expect(index.pending).toBe(21); // 20 pages and the home page
    scheduler.run();
    expect(index.pending).toBe(20); // one page per slice at sliceMs 0
    expect(index.ready).toBe(false);
    expect(scheduler.runAll()).toBe(20);
    expect(index.ready).toBe(true);
    expect(index.search(['dataset'], site)).toHaveLength(20);
  });

  it('after an edit, indexes only the pages that changed, and finds the new text', async () => {
    const cache = new PageCache();
    const files = manyPages(50);
    const index = new LiveSearchIndex();
    const first = model(files, cache);
    index.syncNow(first);
    const edited = model(
      { ...files, 'p7.md': page('title: Page 7\ndescription: Page 7.', 'Now about a survey.\n') },
      cache,
    );
    index.sync(edited);
    expect(index.pending).toBe(1);
    await index.whenIdle();
    expect(index.search(['survey'], edited).map((h) => h.id)).toEqual(['/p7/']);
    expect(index.search(['dataset'], edited)).toHaveLength(49);
  });

  it('never offers a page the served version no longer has, even before the index catches up', () => {
    const scheduler = manualScheduler();
    const index = new LiveSearchIndex({ schedule: scheduler.schedule });
    const cache = new PageCache();
    const files = manyPages(3);
    index.syncNow(model(files, cache));
    const { 'p1.md': _gone, ...rest } = files;
    const without = model(rest, cache);
    index.sync(without);
    expect(index.pending).toBe(1);
    expect(
      index
        .search(['dataset'], without)
        .map((h) => h.id)
        .sort(),
    ).toEqual(['/p0/', '/p2/']);
    scheduler.runAll();
    expect(index.pending).toBe(0);
  });

  it('holds drafts only when the version holds them (the preview), never the public site', () => {
    const files = {
      ...manyPages(1),
      'draft.md': page('title: Plans\ndescription: Draft plans.\ndraft: true', 'A secret dataset.\n'),
    };
    const publicIndex = new LiveSearchIndex();
    const publicSite = model(files);
    publicIndex.syncNow(publicSite);
    expect(publicIndex.search(['secret'], publicSite)).toEqual([]);
    const previewIndex = new LiveSearchIndex();
    const previewSite = model(files, undefined, true);
    previewIndex.syncNow(previewSite);
    expect(previewIndex.search(['secret'], previewSite).map((h) => h.id)).toEqual(['/draft/']);
  });

  it('indexes a document again when one of its files changes, though its page did not', () => {
    const cache = new PageCache();
    const files = libraryFiles({
      'documents/data/index.md': documentPage({ title: 'Regional data' }),
      'documents/data/data.csv': 'Trust,Year\nA,2010\n',
    });
    const build = (f: typeof files) => buildSite(memoryFolderOf(f), { cache }).site!;
    const index = new LiveSearchIndex();
    index.syncNow(build(files));
    const replaced = build({ ...files, 'documents/data/data.csv': 'Trust,Birthweight\nA,3000\n' });
    index.sync(replaced);
    expect(index.pending).toBe(1);
    index.syncNow(replaced);
    expect(index.search(['birthweight'], replaced).map((h) => h.id)).toEqual(['/documents/data/']);
  });

  it('keeps recent snippet texts, and takes a document’s new file into account', () => {
    const cache = new PageCache();
    const files = libraryFiles({
      'documents/data/index.md': documentPage({ title: 'Regional data' }),
      'documents/data/data.csv': 'Trust,Year\nA,2010\n',
    });
    const build = (f: typeof files) => buildSite(memoryFolderOf(f), { cache }).site!;
    const first = build(files);
    const index = new LiveSearchIndex();
    const page = first.pages.get('/documents/data/')!;
    const texts = index.snippetTexts(first, page);
    expect(index.snippetTexts(first, page)).toBe(texts);
    const replaced = build({ ...files, 'documents/data/data.csv': 'Trust,Birthweight\nA,3000\n' });
    expect(replaced.pages.get('/documents/data/')).toBe(page);
    expect(index.snippetTexts(replaced, page).join(' ')).toContain('Birthweight');
  });

  it('leaves out a page it cannot index, says which, and indexes the rest', () => {
    const failures: string[] = [];
    const index = new LiveSearchIndex({ onError: (url) => failures.push(url) });
    const site = model(manyPages(3));
    const broken = { ...site.pages.get('/p1/')!, headings: null as unknown as [] };
    const pages = new Map(site.pages);
    pages.set('/p1/', broken);
    const damaged = { ...site, pages };
    index.syncNow(damaged);
    expect(failures).toEqual(['/p1/']);
    expect(
      index
        .search(['dataset'], damaged)
        .map((h) => h.id)
        .sort(),
    ).toEqual(['/p0/', '/p2/']);
  });
});
