import { describe, expect, it } from 'vitest';
import { buildFromFiles, minimalFiles, page } from '../helpers/site.js';

function errorsFor(files: Record<string, string>) {
  return buildFromFiles(minimalFiles(files)).diagnostics.filter((d) => d.severity === 'error');
}

describe('page front matter', () => {
  it('builds a valid site', () => {
    const r = buildFromFiles(minimalFiles({ 'a/index.md': page('title: A\ndescription: Section A.'), 'a/b.md': page('title: B\ndescription: Page B.') }));
    expect(r.diagnostics).toEqual([]);
    expect([...r.site!.pages.keys()]).toEqual(['/', '/a/', '/a/b/']);
  });

  it('requires title and description', () => {
    const e = errorsFor({ 'x.md': page('navigation:\n  order: 2') });
    expect(e.map((d) => d.message)).toEqual(expect.arrayContaining([expect.stringMatching(/"title" is required/), expect.stringMatching(/"description" is required/)]));
    expect(e.every((d) => d.file === 'x.md')).toBe(true);
  });

  it('reports an unknown key at its line, with a did-you-mean', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\ntittle: Oops') });
    expect(e).toEqual([expect.objectContaining({ file: 'x.md', line: 4, column: 1, message: expect.stringMatching(/unknown key "tittle"\. Did you mean "title"\?/) })]);
  });

  it('suggests keys inside navigation too', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\nnavigation:\n  ordre: 1') });
    expect(e[0]).toMatchObject({ line: 5, column: 3, message: expect.stringMatching(/"navigation\.ordre".*Did you mean "order"/) });
  });

  it('lists the known keys when nothing is close', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\nzzzzzzzzz: 1') });
    expect(e[0]!.message).toMatch(/Known keys here: title, description/);
  });

  it('rejects impossible calendar dates, naming the line', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D\nlastReviewed: 2024-13-45\nnextReviewDue: 2025-02-30') });
    expect(e).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringMatching(/"lastReviewed" is not a real calendar date/) }),
      expect.objectContaining({ line: 5, message: expect.stringMatching(/"nextReviewDue" is not a real calendar date/) }),
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
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D', 'Intro.\n\nSee [the KPIs](/no-such-page/) now.\n') });
    expect(e).toEqual([expect.objectContaining({ file: 'x.md', line: 7, column: 16, message: expect.stringMatching(/\/no-such-page\/, which is not a page/) })]);
  });

  it('accepts links to existing pages, relative links and external links', () => {
    const e = errorsFor({
      'a/index.md': page('title: A\ndescription: D', '[b](b/) [home](/) [x](https://example.org/) [mail](mailto:a@example.org)\n'),
      'a/b.md': page('title: B\ndescription: D', '[up](../) [self](#section-one)\n\n## One\n'),
    });
    expect(e).toEqual([]);
  });

  it('reports a link to a missing heading', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D', '[jump](#nowhere)\n') });
    expect(e[0]!.message).toMatch(/no heading/);
  });

  it('suggests the web address when a link points at a Markdown file', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D', '[a](/a.md)\n'), 'a.md': page('title: A\ndescription: D') });
    expect(e[0]!.message).toMatch(/for example "\/a\/"/);
  });

  it('reports unknown placeholders', () => {
    const e = errorsFor({ 'x.md': page('title: X\ndescription: D', 'Write to {{contactEmial}}.\n') });
    expect(e[0]).toMatchObject({ line: 5, column: 10, message: expect.stringMatching(/unknown placeholder \{\{contactEmial\}\}/) });
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
