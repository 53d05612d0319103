/**
 * The A to Z list, the Atom feed, link previews (og: tags) and the feed link
 * on every page, and the engine's own addresses in the content check.
 */
import { DOMParser, type Document, type Element, type Node } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';
import { FEED_ENTRIES } from '../../src/render/feed.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { documentPage, libraryFiles, memoryFolderOf } from '../helpers/documents.js';
import {
  buildFromFiles,
  minimalFiles,
  page,
  renderedBundledSite,
  renderedFromFiles,
  SITE_URL,
} from '../helpers/site.js';
import { buildSite } from '../../src/content/buildSite.js';
import { renderSite } from '../../src/render/siteRenderer.js';

const ATOM = 'http://www.w3.org/2005/Atom';

/** Parses XML strictly (any well-formedness error fails) and returns its root element. */
function parseXml(xml: string): Element {
  const errors: string[] = [];
  const doc: Document = new DOMParser({
    onError: (level, message) => void errors.push(`${level}: ${message}`),
  }).parseFromString(xml, 'application/xml');
  expect(errors).toEqual([]);
  expect(doc.documentElement).not.toBeNull();
  return doc.documentElement!;
}

const children = (el: Element, name: string) =>
  Array.from({ length: el.childNodes.length }, (_, i) => el.childNodes.item(i) as Node).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).localName === name && (n as Element).namespaceURI === ATOM,
  );
const text = (el: Element, name: string) => children(el, name)[0]?.textContent ?? undefined;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

let bundled: RenderedSite;
beforeAll(async () => {
  bundled = await renderedBundledSite();
});

describe('the A to Z list', () => {
  it('lists every published page and document by title, in groups by first letter, digits first', () => {
    const html = bundled.enginePages.atoZ.body.toString('utf8');
    const links = [...html.matchAll(/<li class="app-a-z-list__item"><a href="([^"]+)">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(links.sort()).toEqual([...bundled.pages.keys()].sort());
    const headings = [...html.matchAll(/<h2 class="app-a-z-heading" id="([^"]+)">([^<]+)</g)].map((m) => m[2]);
    expect(headings[0]).toBe(bundled.model.settings.labels.atoZ.otherCharacters);
    expect(headings.slice(1)).toEqual([...headings.slice(1)].sort());
    expect(html).toMatch(
      /Regional Perinatal Dataset<\/a> <strong class="nhsuk-tag nhsuk-tag--grey app-a-z-list__tag">Document</,
    );
  });

  it('leaves drafts out, sorts regardless of case and accents, and gives every group a link', () => {
    const site = renderedFromFiles(
      minimalFiles({
        'zebra.md': page('title: zebra crossing\ndescription: D'),
        'eclair.md': page('title: Éclair\ndescription: D'),
        'apple.md': page('title: Apple\ndescription: D'),
        'draft.md': page('title: Draft plans\ndescription: D\ndraft: true'),
      }),
    );
    const html = site.enginePages.atoZ.body.toString('utf8');
    const titles = [...html.matchAll(/<li class="app-a-z-list__item"><a href="[^"]+">([^<]+)</g)].map((m) => m[1]);
    expect(titles).toEqual(['Apple', 'Éclair', 'Home', 'zebra crossing']);
    for (const [, id] of html.matchAll(/<h2 class="app-a-z-heading" id="([^"]+)"/g))
      expect(html).toContain(`href="#${id}"`);
  });
});

describe('the Atom feed', () => {
  it('is valid Atom with the required elements, newest first, linked from every page’s head', () => {
    const feed = parseXml(bundled.enginePages.feed.body.toString('utf8'));
    expect([feed.localName, feed.namespaceURI]).toEqual(['feed', ATOM]);
    expect(text(feed, 'id')).toBe(`${SITE_URL}/`);
    expect(text(feed, 'title')).toContain(bundled.model.settings.labels.feed.title);
    expect(text(feed, 'updated')).toMatch(RFC3339);
    expect(children(children(feed, 'author')[0]!, 'name')[0]?.textContent).toBe(
      bundled.model.settings.organisation.name,
    );
    expect(
      children(feed, 'link')
        .find((l) => l.getAttribute('rel') === 'self')
        ?.getAttribute('href'),
    ).toBe(`${SITE_URL}/feed.xml`);
    const entries = children(feed, 'entry');
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      for (const required of ['id', 'title', 'updated']) expect(text(entry, required), required).toBeTruthy();
      expect(text(entry, 'updated')).toMatch(RFC3339);
      expect(children(entry, 'link')[0]?.getAttribute('href')).toBe(text(entry, 'id'));
    }
    const dates = entries.map((e) => text(e, 'updated')!);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(text(feed, 'updated')).toBe(dates[0]);
    for (const [url, response] of bundled.pages) {
      expect(response.body.toString('utf8'), url).toContain(
        '<link rel="alternate" type="application/atom+xml" href="/feed.xml" ' +
          'title="Latest updates – Investing for Health Project 2c">',
      );
    }
  });

  it('takes an entry’s date and summary from published, updated and change notes, at the start of that UK day', () => {
    const files = libraryFiles({
      'documents/data/index.md': documentPage({
        title: 'Data & <more>',
        published: '2026-01-10',
        updated: '2026-07-01',
        extra: 'changeNotes:\n  - date: 2026-07-01\n    note: Added the "summer" figures.',
      }),
      'documents/data/data.csv': 'A,B\n1,2\n',
      'news.md': page('title: News\ndescription: The news.\npublished: 2026-03-01'),
      'undated.md': page('title: Undated\ndescription: No date.'),
    });
    const result = buildSite(memoryFolderOf(files));
    const site = renderSite(result.site!, { siteUrl: SITE_URL });
    const entries = children(parseXml(site.enginePages.feed.body.toString('utf8')), 'entry');
    expect(entries.map((e) => text(e, 'title'))).toEqual(['Data & <more>', 'News']);
    expect(text(entries[0]!, 'updated')).toBe('2026-06-30T23:00:00Z'); // midnight in London, summer time
    expect(text(entries[0]!, 'published')).toBe('2026-01-10T00:00:00Z');
    expect(text(entries[0]!, 'summary')).toBe('Added the "summer" figures.');
    expect(text(entries[1]!, 'summary')).toBe('The news.');
  });

  it(`keeps the newest ${FEED_ENTRIES} entries`, () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < FEED_ENTRIES + 10; i++)
      extra[`p${i}.md`] = page(
        `title: P${i}\ndescription: D\npublished: 2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      );
    const site = renderedFromFiles(minimalFiles(extra));
    expect(children(parseXml(site.enginePages.feed.body.toString('utf8')), 'entry')).toHaveLength(FEED_ENTRIES);
  });
});

describe('link previews', () => {
  it('gives every page og:title, og:description, og:url and og:type from its own fields', () => {
    for (const [url, response] of bundled.pages) {
      const html = response.body.toString('utf8');
      const p = bundled.model.pages.get(url)!;
      const attr = (s: string) =>
        s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect(html, url).toContain(`<meta property="og:title" content="${attr(p.frontMatter.title)}">`);
      expect(html, url).toContain(`<meta property="og:description" content="${attr(p.frontMatter.description)}">`);
      expect(html, url).toContain(`<meta property="og:url" content="${SITE_URL}${url}">`);
      expect(html, url).toContain(`<meta property="og:type" content="${url === '/' ? 'website' : 'article'}">`);
    }
  });
});

describe('the engine’s own addresses in the content check', () => {
  it('refuses a page at /search/ or /a-z/ or under /assets/, naming the file', () => {
    const result = buildFromFiles(
      minimalFiles({
        'search.md': page('title: S\ndescription: D'),
        'a-z.md': page('title: A\ndescription: D'),
        'assets/x.md': page('title: X\ndescription: D'),
        'assets/index.md': page('title: X\ndescription: D'),
      }),
    );
    expect(result.site).toBeNull();
    const messages = result.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^search\.md: the web address \/search\/ is used by the site itself/),
        expect.stringMatching(/^a-z\.md: the web address \/a-z\/ is used by the site itself/),
        expect.stringMatching(/^assets\/x\.md: /),
      ]),
    );
  });

  it('accepts links to the search, the A to Z list and the feed', () => {
    const result = buildFromFiles(
      minimalFiles({
        'links.md': page(
          'title: L\ndescription: D',
          '[Search](/search/?q=data), [A to Z](/a-z/) and [feed](/feed.xml).\n',
        ),
      }),
    );
    expect(result.diagnostics).toEqual([]);
  });
});
