/**
 * A build after an edit to pages' bodies reuses the cross-page work of the build before (see
 * src/content/crossPageReuse.ts). It must give exactly what a build from scratch gives, whatever the edit.
 */
import { describe, expect, it } from 'vitest';
import { buildSite, type BuildResult } from '../../src/content/buildSite.js';
import { CrossPageMemo } from '../../src/content/crossPageReuse.js';
import type { NavNode, SiteModel } from '../../src/content/model.js';
import { PageCache } from '../../src/content/pageCache.js';
import { random } from '../bench/corpus.js';
import { memoryFolder, minimalFiles, page } from '../helpers/site.js';

function fixture(): Record<string, string> {
  return minimalFiles({
    '500.md': page('title: Problem\ndescription: D\nnavigation:\n  hidden: true'),
    'about.md': page('title: About\ndescription: D\nnavigation:\n  order: 9', 'See [one](/a/one/).\n'),
    'a/index.md': page('title: Section A\ndescription: D\nnavigation:\n  order: 1'),
    'a/one.md': page('title: A one\ndescription: D', 'Body one. [Two](../two/)\n'),
    'a/two.md': page('title: A two\ndescription: D', '## Part\n\nBody two. [Part](#part)\n'),
    'a/deep/index.md': page('title: Deep\ndescription: D'),
    'a/deep/leaf.md': page('title: Leaf\ndescription: D'),
    'b/index.md': page('title: Section B\ndescription: D\nnavigation:\n  order: 2'),
    'b/one.md': page('title: B one\ndescription: D'),
    'b/hidden.md': page('title: B hidden\ndescription: D\nnavigation:\n  hidden: true'),
    'b/draft.md': page('title: B draft\ndescription: D\ndraft: true'),
  });
}

/** A builder kept across edits, as the content loader keeps it. */
function session() {
  const cache = new PageCache();
  const crossPage = new CrossPageMemo();
  return {
    crossPage,
    build: (files: Record<string, string>, now = 0) => buildSite(memoryFolder(files), { cache, crossPage, now }),
  };
}

function nodesOf(nodes: readonly NavNode[]): NavNode[] {
  return nodes.flatMap((n) => [n, ...nodesOf(n.children)]);
}

/** The same result as a build from scratch, and navigation that holds the view's own pages. */
function expectSameAsFresh(result: BuildResult, files: Record<string, string>, now = 0): void {
  const fresh = buildSite(memoryFolder(files), { now });
  expect(result.diagnostics).toEqual(fresh.diagnostics);
  expect(result.nextChangeAt).toBe(fresh.nextChangeAt);
  expect(result.sourcePages.map((s) => [s.page.source, s.state])).toEqual(
    fresh.sourcePages.map((s) => [s.page.source, s.state]),
  );
  for (const view of ['site', 'preview'] as const) {
    const model: SiteModel | null = result[view];
    const expected = fresh[view];
    expect(model === null, view).toBe(expected === null);
    if (!model || !expected) continue;
    expect([...model.pages.keys()]).toEqual([...expected.pages.keys()]);
    expect([...model.pages.values()].map((p) => p.bodyHtml)).toEqual(
      [...expected.pages.values()].map((p) => p.bodyHtml),
    );
    const shape = (nodes: readonly NavNode[]): unknown => nodes.map((n) => [n.url, n.title, shape(n.children)]);
    expect(shape(model.navigation)).toEqual(shape(expected.navigation));
    for (const node of nodesOf(model.navigation)) expect(node.page, node.url).toBe(model.pages.get(node.url));
    expect([...model.redirects]).toEqual([...expected.redirects]);
    expect([...model.library.documents.keys()]).toEqual([...expected.library.documents.keys()]);
  }
}

describe('the cross-page work after an edit', () => {
  it("checks only the edited page's links after a body edit, and gives what a full build gives", () => {
    const { build, crossPage } = session();
    const files = fixture();
    const first = build(files);
    // Count reads of every page's links from here on.
    let reads = 0;
    for (const { page: p } of first.sourcePages) {
      const links = p.links;
      Object.defineProperty(p, 'links', {
        get: () => {
          reads++;
          return links;
        },
      });
    }
    const edited = {
      ...files,
      'a/one.md': page('title: A one\ndescription: D', 'Body one.\n\nNow [broken](/nowhere/) and [gone](#gone).\n'),
    };
    const second = build(edited);
    expect(reads).toBe(0);
    expect(crossPage.reused).toBe(1);
    expect(second.diagnostics.filter((d) => d.file === 'a/one.md').map((d) => d.line)).toEqual([7, 7]);
    expectSameAsFresh(second, edited);
  });

  it('does the work again when a title, a draft, a page or the settings change, and matches a full build', () => {
    const { build, crossPage } = session();
    let files = fixture();
    build(files);
    const changes: Array<(f: Record<string, string>) => Record<string, string>> = [
      (f) => ({ ...f, 'a/two.md': page('title: A second\ndescription: D', 'Body.\n') }),
      (f) => ({ ...f, 'b/one.md': page('title: B one\ndescription: D\ndraft: true') }),
      (f) => ({ ...f, 'b/new.md': page('title: B new\ndescription: D') }),
      (f) => ({ ...f, 'site.yml': f['site.yml']!.replace(/^name: .*$/m, 'name: Renamed') }),
    ];
    for (const change of changes) {
      files = change(files);
      expectSameAsFresh(build(files), files);
    }
    expect(crossPage.reused).toBe(0);
  });

  it('matches a full build after any sequence of random edits', () => {
    const rand = random(15);
    const { build, crossPage } = session();
    let files = fixture();
    let now = 0;
    build(files, now);
    const pages = Object.keys(files).filter((f) => f.endsWith('.md') && !['404.md', '500.md'].includes(f));
    const bodies = [
      'Plain.\n',
      'A [link](/b/one/).\n',
      'A [draft](/b/draft/) link.\n',
      'A [broken](/none/) link.\n\n## Heading\n\n[Here](#heading) and [there](#nowhere).\n',
      'A [file](one.md) link.\n',
      'Lines.\n\nMore lines.\n\nAnd [about](/about/).\n',
    ];
    for (let step = 0; step < 60; step++) {
      const file = pages[Math.floor(rand() * pages.length)]!;
      const text = files[file]!;
      const frontMatter = text.slice(0, text.indexOf('---\n', 4) + 4);
      const kind = rand();
      if (kind < 0.7) files = { ...files, [file]: frontMatter + bodies[Math.floor(rand() * bodies.length)]! };
      else if (kind < 0.8) files = { ...files, [file]: text.replace(/title: (.*)/, 'title: $1 x') };
      else if (kind < 0.9) files = { ...files, [file]: text.replace('---\n', '---\nnavigation:\n  hidden: true\n') };
      else now += 1000;
      expectSameAsFresh(build(files, now), files, now);
    }
    expect(crossPage.reused).toBeGreaterThan(20);
  });

  it('gives a document file the time and disk file of this build when it was written again with the same bytes', () => {
    // A download's Last-Modified comes from the library, and the server compares the file on disk with the one
    // the library names: a file written again with the same bytes (a restore, a checkout) must be the new one.
    const files = minimalFiles({
      'documents/index.md': page('title: Documents\ndescription: All documents.'),
      'documents/doc/index.md': page(
        'title: A document\ndescription: A document.\nsummary: A document.\ncategory: Reports\n' +
          'published: 2026-11-25\nfiles:\n  - file: data.csv',
      ),
      'documents/doc/data.csv': 'a,b\n1,2\n',
      'about.md': page('title: About\ndescription: D'),
    });
    const at = (mtimeMs: number, ino: number) => {
      const folder = memoryFolder(files);
      const entry = folder.entries.find((e) => e.path === 'documents/doc/data.csv')!;
      entry.mtimeMs = mtimeMs;
      entry.identity = { dev: 1, ino, size: entry.bytes!.length, mtimeMs, ctimeMs: mtimeMs };
      return folder;
    };
    const cache = new PageCache();
    const crossPage = new CrossPageMemo();
    buildSite(at(1_000_000, 7), { cache, crossPage, now: 0 });
    const again = buildSite(at(5_000_000, 8), { cache, crossPage, now: 0 });
    const fresh = buildSite(at(5_000_000, 8), { now: 0 });
    const fileOf = (build: BuildResult) => build.preview!.library.documents.get('doc')!.files[0]!;
    expect(fileOf(again).lastModified).toEqual(fileOf(fresh).lastModified);
    expect(fileOf(again).disk?.identity).toEqual(fileOf(fresh).disk?.identity);
  });
});
