/**
 * Every rendered page must work under the strict CSP: each inline script
 * allowed by its hash, no inline styles (attributes or elements), no event
 * handler attributes, and every script and stylesheet from our own origin.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { contentSecurityPolicyDirectives } from '../../src/server/securityHeaders.js';
import { inlineScripts, parseTags } from '../helpers/html.js';
import { tinyPng } from '../helpers/images.js';
import { minimalFiles, page, renderedBundledSite, renderedFromFiles } from '../helpers/site.js';
import { exportSearchPage } from '../../src/search/searchPages.js';
import { searchFor } from '../helpers/search.js';

const scriptSources = contentSecurityPolicyDirectives()['script-src'];

function allDocuments(site: RenderedSite): [string, string][] {
  return [
    ...[...site.pages].map(([url, p]): [string, string] => [url, p.body.toString('utf8')]),
    ['404 page', site.notFound.body.toString('utf8')],
    ['500 page', site.serverError.body.toString('utf8')],
    ['search results', searchFor(site, 'perinatal', '2').response.body.toString('utf8')],
    ['search error', searchFor(site, 'x'.repeat(300)).response.body.toString('utf8')],
    ['A to Z', site.enginePages.atoZ.body.toString('utf8')],
    ['export search page', exportSearchPage(site).toString('utf8')],
  ];
}

function expectCspClean(label: string, html: string): void {
  const scripts = inlineScripts(html);
  expect(scripts.length, `${label}: the layout's inline script`).toBeGreaterThan(0);
  for (const script of scripts) {
    const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
    expect(
      scriptSources,
      `${label}: inline script ${JSON.stringify(script.slice(0, 60))} is not allowed by the CSP`,
    ).toContain(hash);
  }
  const tags = parseTags(html);
  expect(tags.filter((t) => t.name === 'style').length, `${label}: <style> element`).toBe(0);
  for (const tag of tags) {
    for (const [name, value] of tag.attributes) {
      expect(name, `${label}: style attribute on <${tag.name}>`).not.toBe('style');
      expect(name, `${label}: event handler on <${tag.name}>`).not.toMatch(/^on/);
      if (tag.name === 'script' && name === 'src') expect(value, label).toMatch(/^\/assets\//);
      if (
        tag.name === 'link' &&
        name === 'href' &&
        tag.attributes.some(([n, v]) => n === 'rel' && /stylesheet|icon/.test(v))
      ) {
        expect(value, label).toMatch(/^\/assets\//);
      }
    }
  }
  // Raw text too: a style= hidden anywhere (say in an unparsed fragment) fails.
  expect(html, label).not.toMatch(/\sstyle\s*=/i);
}

describe('every page under the strict CSP', () => {
  let bundled: RenderedSite;
  beforeAll(async () => {
    bundled = await renderedBundledSite();
  });

  it('bundled pages: inline scripts hashed, no inline styles or handlers', () => {
    const docs = allDocuments(bundled);
    expect(docs.length).toBeGreaterThanOrEqual(21);
    for (const [label, html] of docs) expectCspClean(label, html);
  });

  it('pages with every Markdown construct, tables with alignment included', () => {
    const body = [
      '## Heading',
      '',
      'Text with **bold**, *emphasis*, `code` and a [link](https://example.org/).',
      '',
      '| Left | Centre | Right |',
      '|:-----|:------:|------:|',
      '| a | b | c |',
      '',
      '> A quote',
      '',
      '- one',
      '- two',
      '',
      '1. first',
      '2. second',
      '',
      '```',
      'code block',
      '```',
      '',
      '![An image](/images/picture.png)',
      '',
      '---',
      '',
      '### Sub-heading',
      '',
      'Line  ',
      'break',
    ].join('\n');
    const site = renderedFromFiles(
      minimalFiles({
        'everything.md': page('title: Everything\ndescription: All Markdown.', body),
        'images/picture.png': tinyPng(),
      }),
    );
    for (const [label, html] of allDocuments(site)) expectCspClean(label, html);
    const html = site.pages.get('/everything/')!.body.toString('utf8');
    // A content image is one of the site's own files, which img-src 'self' allows.
    expect(html).toMatch(/<img src="\/assets\/content\/picture\.[0-9a-f]{12}\.png" width="4" height="3"/);
    expect(html).toContain('<th class="app-align-center" scope="col">');
    expect(html).toContain('<td class="app-align-right">');
  });

  it('fails when a page carries an inline script the policy does not allow (the check can fail)', () => {
    const html = bundled.pages.get('/')!.body.toString('utf8').replace('</body>', '<script>alert(1)</script></body>');
    expect(() => expectCspClean('tampered', html)).toThrow(/not allowed by the CSP/);
    const styled = bundled.pages.get('/')!.body.toString('utf8').replace('<main', '<main style="color:red"');
    expect(() => expectCspClean('tampered', styled)).toThrow(/style attribute/);
  });
});
