import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import type { SiteModel } from '../../src/content/model.js';
import { CrossPageMemo } from '../../src/content/crossPageReuse.js';
import { PageCache } from '../../src/content/pageCache.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { SiteRenderer } from '../../src/render/siteRenderer.js';
import { BUNDLED_CONTENT, memoryFolder, minimalFiles, page, SITE_URL } from '../helpers/site.js';
import { readContentFolder, type ContentFolder } from '../../src/content/readContentFolder.js';

function fixture(): Record<string, string> {
  return minimalFiles({
    '500.md': page('title: Problem\ndescription: D\nnavigation:\n  hidden: true'),
    'about.md': page('title: About\ndescription: D\nnavigation:\n  order: 9'),
    'a/index.md': page('title: Section A\ndescription: D\nnavigation:\n  order: 1'),
    'a/one.md': page('title: A one\ndescription: D', 'Body one.\n'),
    'a/two.md': page('title: A two\ndescription: D', 'Body two.\n'),
    'a/deep/index.md': page('title: Deep\ndescription: D'),
    'a/deep/leaf.md': page('title: Leaf\ndescription: D'),
    'b/index.md': page('title: Section B\ndescription: D\nnavigation:\n  order: 2'),
    'b/one.md': page('title: B one\ndescription: D'),
    'b/hidden.md': page('title: B hidden\ndescription: D\nnavigation:\n  hidden: true'),
  });
}

/** A builder and renderer kept across edits, as the live server keeps them. */
function session() {
  const cache = new PageCache();
  // Reused after body edits, as the content loader reuses it (its navigation keeps the nodes it can).
  const crossPage = new CrossPageMemo();
  const renderer = new SiteRenderer({ siteUrl: SITE_URL });
  return (files: Record<string, string>) => {
    const result = buildSite(memoryFolder(files), { cache, crossPage, now: 0 });
    if (!result.site) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
    const rendered = renderer.render(result.site);
    // A warm site: every page has been requested once.
    for (const url of [...rendered.site.pages.keys()]) rendered.site.pages.get(url);
    return { ...rendered, model: result.site };
  };
}

function expectSameAsFullRender(site: ReturnType<ReturnType<typeof session>>['site'], model: SiteModel) {
  const full = renderSite(model, { siteUrl: SITE_URL });
  expect([...site.pages.keys()]).toEqual([...full.pages.keys()]);
  for (const url of [...full.pages.keys()])
    expect(site.pages.get(url)!.body.toString(), url).toBe(full.pages.get(url)!.body.toString());
  expect(site.notFound.body.toString()).toBe(full.notFound.body.toString());
  expect(site.serverError.body.toString()).toBe(full.serverError.body.toString());
  expect(site.sitemap.body.toString()).toBe(full.sitemap.body.toString());
}

describe('incremental rendering', () => {
  it('renders everything the first time, the same bytes as renderSite', () => {
    const render = session();
    const first = render(fixture());
    expect(first.stats.invalidated).toHaveLength(first.model.pages.size + 2);
    expectSameAsFullRender(first.site, first.model);
  });

  it('after a body edit, renders only the edited page again and reuses the other responses', () => {
    const render = session();
    const files = fixture();
    const before = render(files);
    const after = render({ ...files, 'a/one.md': page('title: A one\ndescription: D', 'Body one, edited.\n') });
    expect(after.stats.invalidated).toEqual(['/a/one/']);
    expect(after.site.pages.get('/a/two/')).toBe(before.site.pages.get('/a/two/'));
    expect(after.site.pages.get('/a/one/')!.body.toString()).toContain('Body one, edited.');
    expectSameAsFullRender(after.site, after.model);
  });

  it("renders the page's section again when its navigation title or order changes, and nothing else", () => {
    const render = session();
    const files = fixture();
    render(files);
    const retitled = render({
      ...files,
      'a/two.md': page('title: A two\ndescription: D\nnavigation:\n  title: Second', 'Body two.\n'),
    });
    expect(retitled.stats.invalidated.sort()).toEqual(['/a/', '/a/deep/', '/a/deep/leaf/', '/a/one/', '/a/two/']);
    expectSameAsFullRender(retitled.site, retitled.model);
  });

  it('renders the pages below a hidden section page when it is renamed (their breadcrumbs name it)', () => {
    const render = session();
    const files = { ...fixture(), 'a/deep/index.md': page('title: Deep\ndescription: D\nnavigation:\n  hidden: true') };
    render(files);
    const r = render({
      ...files,
      'a/deep/index.md': page('title: Deeper\ndescription: D\nnavigation:\n  hidden: true'),
    });
    expect(r.stats.invalidated).toContain('/a/deep/leaf/');
    expect(r.site.pages.get('/a/deep/leaf/')!.body.toString()).toContain('Deeper');
    expectSameAsFullRender(r.site, r.model);
  });

  it('renders every page when the top-level navigation or the site settings change', () => {
    const render = session();
    const files = fixture();
    const first = render(files);
    const total = first.model.pages.size + 2;
    const renamed = render({
      ...files,
      'b/index.md': page('title: Section Bee\ndescription: D\nnavigation:\n  order: 2'),
    });
    expect(renamed.stats.invalidated).toHaveLength(total);
    const settings = render({
      ...files,
      'b/index.md': files['b/index.md']!,
      'site.yml': files['site.yml']!.replace('Investing for Health Project 2c', 'Renamed site'),
    });
    expect(settings.stats.invalidated).toHaveLength(total);
    expectSameAsFullRender(settings.site, settings.model);
  });

  it('matches a full render after any sequence of random edits', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    const render = session();
    const files = fixture();
    render(files);
    const editable = Object.keys(files).filter(
      (f) => f.endsWith('.md') && !['index.md', '404.md', '500.md'].includes(f) && !f.endsWith('/index.md'),
    );
    for (let step = 0; step < 60; step++) {
      const file = pick(editable);
      const title = pick(['Alpha', 'Beta', 'Gamma', 'A one', 'Zulu']);
      const nav = pick([
        '',
        '\nnavigation:\n  order: 3',
        '\nnavigation:\n  hidden: true',
        '\nnavigation:\n  title: Short',
        '\ndraft: true',
      ]);
      files[file] = page(`title: ${title}\ndescription: D${nav}`, `Step ${step}.\n`);
      const r = render(files);
      expectSameAsFullRender(r.site, r.model);
    }
  });
});

describe('preview rendering', () => {
  it('adds the reload script and notices for drafts and scheduled pages only in the preview', () => {
    const files = minimalFiles({
      'soon.md': page('title: Soon\ndescription: D\ndraft: true\npublishDate: 2027-03-01 09:30'),
    });
    const built = buildSite(memoryFolder(files), { now: 0 });
    const model = built.preview!;
    const preview = new SiteRenderer({ siteUrl: SITE_URL, preview: { reloadScriptUrl: '/__dev/reload.js' } }).render(
      model,
    ).site;
    const html = preview.pages.get('/soon/')!.body.toString();
    expect(html).toContain('<script type="module" src="/__dev/reload.js"></script>');
    expect(html).toContain('This page is a draft: visitors cannot see it.');
    expect(html).toContain('Visitors see this page from 1 March 2027 at 09:30 UK time');
    expect(preview.pages.get('/')!.body.toString()).not.toContain('Preview only');

    const production = new SiteRenderer({ siteUrl: SITE_URL }).render(model).site.pages.get('/soon/')!.body.toString();
    expect(built.site!.pages.has('/soon/')).toBe(false);
    expect(production).not.toContain('reload.js');
    expect(production).not.toContain('Preview only');
  });
});

describe('incremental rendering with documents', () => {
  it('renders the pages that show a document again when the document changes, and no others', async () => {
    const folder = await readContentFolder(BUNDLED_CONTENT);
    const cache = new PageCache();
    const renderer = new SiteRenderer({ siteUrl: SITE_URL });
    const render = (f: ContentFolder) => {
      const model = buildSite(f, { cache, now: Date.parse('2027-01-01T00:00:00Z') }).site!;
      const r = renderer.render(model);
      for (const url of [...r.site.pages.keys()]) r.site.pages.get(url);
      return { ...r, model };
    };
    render(folder);
    const file = 'documents/quality-indicators/index.md';
    const edited: ContentFolder = {
      root: folder.root,
      entries: folder.entries.map((e) =>
        e.path === file
          ? {
              ...e,
              bytes: Buffer.from(
                e.bytes!.toString('utf8').replace('category: "Quality indicators"', 'category: "Indicators"'),
              ),
            }
          : e,
      ),
    };
    const after = render(edited);
    const citing = [...after.model.pages.values()]
      .filter((p) => p.frontMatter.documents?.includes('quality-indicators'))
      .map((p) => p.url);
    expect(citing.length).toBeGreaterThan(0);
    expect(after.stats.invalidated).toEqual(
      expect.arrayContaining(['/documents/quality-indicators/', '/documents/', ...citing]),
    );
    expect(after.stats.invalidated).not.toContain('/about/');
    expectSameAsFullRender(after.site, after.model);
  });
});
