import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { ContentLoader } from '../../src/content/loadContent.js';
import { PageCache } from '../../src/content/pageCache.js';
import { BUNDLED_SETTINGS, buildFromFiles, memoryFolder, minimalFiles, page } from '../helpers/site.js';

function errorsFor(files: Record<string, string>) {
  return buildFromFiles(minimalFiles(files)).diagnostics.filter((d) => d.severity === 'error');
}

describe('page front matter', () => {
  it('builds a valid site', () => {
    const r = buildFromFiles(
      minimalFiles({
        'a/index.md': page('title: A\ndescription: Section A.'),
        'a/b.md': page('title: B\ndescription: Page B.'),
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect([...r.site!.pages.keys()]).toEqual(['/', '/a/', '/a/b/']);
  });

  it('requires title and description', () => {
    const e = errorsFor({ 'x.md': page('navigation:\n  order: 2') });
    expect(e.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"title" is required/),
        expect.stringMatching(/"description" is required/),
      ]),
    );
    expect(e.every((d) => d.file === 'x.md')).toBe(true);
  });

  it('reports an unknown key at its line, with a did-you-mean', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\ntittle: Oops') });
    expect(e).toEqual([
      expect.objectContaining({
        file: 'x.md',
        line: 4,
        column: 1,
        message: expect.stringMatching(/unknown key "tittle"\. Did you mean "title"\?/),
      }),
    ]);
  });

  it('suggests keys inside navigation too', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\nnavigation:\n  ordre: 1') });
    expect(e[0]).toMatchObject({
      line: 5,
      column: 3,
      message: expect.stringMatching(/"navigation\.ordre".*Did you mean "order"/),
    });
  });

  it('lists the known keys when nothing is close', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\nzzzzzzzzz: 1') });
    expect(e[0]!.message).toMatch(/Known keys here: title, description/);
  });

  it('rejects impossible calendar dates, naming the line', () => {
    const e = errorsFor({
      'x.md': page('title: X\ndescription: D\nlastReviewed: 2024-13-45\nnextReviewDue: 2025-02-30'),
    });
    expect(e).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringMatching(/"lastReviewed" is not a real calendar date/),
      }),
      expect.objectContaining({
        line: 5,
        message: expect.stringMatching(/"nextReviewDue" is not a real calendar date/),
      }),
    ]);
  });

  it('rejects dates in other formats', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\npublished: 25/11/2026') });
    expect(e[0]!.message).toMatch(/YYYY-MM-DD/);
  });

  it('checks types of navigation settings', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\nnavigation:\n  order: first\n  hidden: "yes"') });
    expect(e.map((d) => [d.line, d.message])).toEqual([
      [5, expect.stringMatching(/"navigation\.order" must be a whole number/)],
      [6, expect.stringMatching(/"navigation\.hidden" must be true or false/)],
    ]);
  });

  it('rejects file names that cannot be web addresses', () => {
    const e = errorsFor({ 'My Page.md': page('title: X\ndescription: D') });
    expect(e[0]!.message).toMatch(/rename it .* "my-page"/);
  });

  it('reports two files with the same web address', () => {
    const e = errorsFor({ 'a.md': page('title: A\ndescription: D'), 'a/index.md': page('title: A2\ndescription: D') });
    expect(e.some((d) => /same web address \(\/a\/\)/.test(d.message))).toBe(true);
  });

  it('reports a folder of pages without an index page', () => {
    const e = errorsFor({ 'a/b.md': page('title: B\ndescription: D') });
    expect(e[0]!.message).toMatch(/no index\.md/);
  });

  it('requires a home page, a 404 page and site settings', () => {
    const r = buildFromFiles({ 'about.md': page('title: A\ndescription: D') });
    expect(r.site).toBeNull();
    expect(r.diagnostics.map((d) => d.file)).toEqual(expect.arrayContaining(['site.yml', 'index.md', '404.md']));
  });

  it('validates site settings like front matter', () => {
    const r = buildFromFiles(minimalFiles({ 'site.yml': 'name: X\nlanguage: english\n' }));
    const e = r.diagnostics.filter((d) => d.file === 'site.yml');
    expect(e.some((d) => d.line === 2 && /language tag/.test(d.message))).toBe(true);
    expect(e.some((d) => /"organisation" is required/.test(d.message))).toBe(true);
  });

  it('leaves drafts out of the site', () => {
    const r = buildFromFiles(minimalFiles({ 'x.md': page('title: X\ndescription: D\ndraft: true') }));
    expect(r.site!.pages.has('/x/')).toBe(false);
  });
});

describe('links between pages', () => {
  it('reports a link to a page that does not exist, at its line and column', () => {
    const e = errorsFor({
      'x.md': page('title: X\ndescription: D', 'Intro.\n\nSee [the KPIs](/no-such-page/) now.\n'),
    });
    expect(e).toEqual([
      expect.objectContaining({
        file: 'x.md',
        line: 7,
        column: 16,
        message: expect.stringMatching(/\/no-such-page\/, which is not a page/),
      }),
    ]);
  });

  it('accepts links to existing pages, relative links and external links', () => {
    const e = errorsFor({
      'a/index.md': page(
        'title: A\ndescription: D',
        '[b](b/) [home](/) [x](https://example.org/) [mail](mailto:a@example.org)\n',
      ),
      'a/b.md': page('title: B\ndescription: D', '[up](../) [self](#section-one)\n\n## One\n'),
    });
    expect(e).toEqual([]);
  });

  it('reports a link to a missing heading', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D', '[jump](#nowhere)\n') });
    expect(e[0]!.message).toMatch(/no heading/);
  });

  it('suggests the web address when a link points at a Markdown file', () => {
    const e = errorsFor({
      'x.md': page('title: X\ndescription: D', '[a](/a.md)\n'),
      'a.md': page('title: A\ndescription: D'),
    });
    expect(e[0]!.message).toBe('the link "/a.md" names the page\'s file: link to its web address instead, "/a/"');
  });

  it('reports unknown placeholders', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D', 'Write to {{contactEmial}}.\n') });
    expect(e[0]).toMatchObject({
      line: 5,
      column: 10,
      message: expect.stringMatching(/unknown placeholder \{\{contactEmial\}\}/),
    });
  });
});

describe('links in the site settings', () => {
  const footer = (...hrefs: string[]) =>
    BUNDLED_SETTINGS.replace(
      /^footerLinks:\n(?: {2}.*\n)+/m,
      `footerLinks:\n${hrefs.map((h) => `  - text: Link\n    href: ${h}\n`).join('')}`,
    );

  it(
    'are checked like page links: a footer link to a page that does not ' + 'exist is an error at its line and column',
    () => {
      const r = buildFromFiles(
        minimalFiles({
          'site.yml': footer('/', '/accessibility/', 'https://example.org/x', 'mailto:a@example.org'),
          'about.md': page('title: A\ndescription: D'),
        }),
      );
      expect(r.site).toBeNull();
      const line = BUNDLED_SETTINGS.slice(0, BUNDLED_SETTINGS.indexOf('footerLinks:')).split('\n').length;
      expect(r.diagnostics).toEqual([
        {
          file: 'site.yml',
          line: line + 4,
          column: 11,
          severity: 'error',
          message: 'the link "/accessibility/" points to /accessibility/, which is not a page on this site.',
        },
        // The example addresses are placeholders no visitor can use: warned about, not link errors.
        expect.objectContaining({ file: 'site.yml', line: line + 6, severity: 'warning', rule: 'reserved-domain' }),
        expect.objectContaining({ file: 'site.yml', line: line + 8, severity: 'warning', rule: 'reserved-domain' }),
      ]);
    },
  );

  it('may point at the engine’s own addresses: the search, the A to Z list and the feed', () => {
    const r = buildFromFiles(minimalFiles({ 'site.yml': footer('/search/', '/a-z/', '/feed.xml', '/search/?q=data') }));
    expect(r.diagnostics).toEqual([]);
    expect(r.site).not.toBeNull();
  });

  it('must point at published pages, and warn about a missing trailing slash', () => {
    const r = buildFromFiles(
      minimalFiles({
        'site.yml': footer('/draft/', '/about'),
        'draft.md': page('title: D\ndescription: D\ndraft: true'),
        'about.md': page('title: A\ndescription: D'),
      }),
    );
    expect(r.diagnostics.map((d) => [d.severity, d.message])).toEqual([
      ['error', 'the link "/draft/" points to /draft/, which is not published: publish that page or change the link'],
      ['warning', 'the link "/about" should end with "/": write "/about/"'],
    ]);
  });
});

describe('one content version, two views', () => {
  const files = minimalFiles({
    'index.md': page('title: Home\ndescription: D', 'See [the plan](/plan/).\n'),
    'plan.md': page(
      'title: Plan\ndescription: D\ndraft: true',
      'Back [home](/) and to [a page that is not there](/gone/).\n',
    ),
  });

  it('parses each file once for both views, which share the same pages', () => {
    const cache = new PageCache();
    const r = buildSite(
      memoryFolder({
        ...files,
        'index.md': page('title: Home\ndescription: D'),
        'plan.md': page('title: Plan\ndescription: D\ndraft: true'),
      }),
      { cache, now: 0 },
    );
    expect(r.diagnostics).toEqual([]);
    expect(cache.misses).toBe(3); // index.md, 404.md, plan.md
    expect([...r.site!.pages.keys()]).toEqual(['/']);
    expect([...r.preview!.pages.keys()]).toEqual(['/', '/plan/']);
    expect(r.preview!.pages.get('/')).toBe(r.site!.pages.get('/'));
    expect(r.preview!.notFoundPage).toBe(r.site!.notFoundPage);
  });

  it("checks a draft's links like any page's, and says it is a draft", () => {
    const r = buildFromFiles(files);
    expect(r.diagnostics.find((d) => d.file === 'plan.md')).toMatchObject({
      line: 6,
      severity: 'error',
      message:
        'the link "/gone/" points to /gone/, which is not a page on this site. ' +
        'This page is a draft: correct the link before you publish it.',
    });
  });

  it('lets the preview show a published page linking to a draft, while the public site refuses that version', () => {
    const r = buildFromFiles({ ...files, 'plan.md': page('title: Plan\ndescription: D\ndraft: true') });
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        file: 'index.md',
        severity: 'error',
        scope: 'public',
        message: expect.stringMatching(/which is a draft: publish that page/),
      }),
    ]);
    expect(r.site).toBeNull();
    expect([...r.preview!.pages.keys()]).toEqual(['/', '/plan/']);
  });

  it('refuses pages at the addresses the site itself uses', () => {
    const r = buildFromFiles(
      minimalFiles({
        'edit.md': page('title: E\ndescription: D'),
        'assets/index.md': page('title: A\ndescription: D'),
      }),
    );
    expect(r.diagnostics.map((d) => [d.file, d.message])).toEqual([
      ['assets/index.md', 'the web address /assets/ is used by the site itself: choose another name for this page'],
      ['edit.md', 'the web address /edit/ is used by the site itself: choose another name for this page'],
    ]);
  });
});

describe('validating an edit before it is saved', () => {
  it('gives the diagnostics the save would give, parsing only the edited file and changing nothing', async () => {
    const source = {
      root: '/memory',
      readAll: async () => memoryFolder(minimalFiles({ 'a.md': page('title: A\ndescription: D') })),
      readPaths: async () => [],
    };
    const loader = new ContentLoader(source);
    const first = await loader.load('all', 0);
    expect(first.build.diagnostics).toEqual([]);
    const trial = loader.validateEdit(
      'a.md',
      Buffer.from(page('title: A\ndescription: D\ntittle: typo', 'A [link](/nowhere/).\n')),
      0,
    );
    // The body's problems come with the front matter's, in one round.
    expect(trial.diagnostics.map((d) => [d.file, d.line, d.message])).toEqual([
      ['a.md', 4, 'unknown key "tittle". Did you mean "title"?'],
      ['a.md', 6, 'the link "/nowhere/" points to /nowhere/, which is not a page on this site.'],
    ]);
    const broken = loader.validateEdit(
      'a.md',
      Buffer.from(page('title: A\ndescription: D', 'A [link](/nowhere/).\n')),
      0,
    );
    expect(broken.diagnostics.map((d) => [d.file, d.line, d.column])).toEqual([['a.md', 5, 10]]);
    // Nothing was written or swapped: the loaded version and its files are as before.
    expect(loader.fileText('a.md')).toBe(page('title: A\ndescription: D'));
    const again = await loader.load([], 0);
    expect(again.build.diagnostics).toEqual([]);
    expect(loader.cacheStats.misses).toBe(0);
  });
});

describe('navigation', () => {
  it('orders sections and pages by navigation.order, then title, and leaves hidden pages out', () => {
    const r = buildFromFiles(
      minimalFiles({
        'index.md': page('title: Home\ndescription: D\nnavigation:\n  order: 1'),
        'b/index.md': page('title: Bees\ndescription: D\nnavigation:\n  order: 2'),
        'b/z.md': page('title: Zed\ndescription: D\nnavigation:\n  order: 1'),
        'b/a.md': page('title: Ay\ndescription: D\nnavigation:\n  order: 2'),
        'b/m.md': page('title: Em\ndescription: D'),
        'b/h.md': page('title: Hidden\ndescription: D\nnavigation:\n  hidden: true'),
        'a.md': page('title: Aardvark\ndescription: D\nnavigation:\n  order: 3\n  title: Short'),
      }),
    );
    const nav = r.site!.navigation;
    expect(nav.map((n) => n.title)).toEqual(['Home', 'Bees', 'Short']);
    expect(nav[1]!.children.map((n) => n.title)).toEqual(['Zed', 'Ay', 'Em']);
  });
});
