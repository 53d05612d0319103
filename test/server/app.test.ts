import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTitle } from '../../src/content/browserTitle.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { appFor, renderedBundledSite } from '../helpers/site.js';

let site: RenderedSite;
let app: ReturnType<typeof appFor>;
beforeAll(async () => {
  site = await renderedBundledSite();
  app = appFor(site);
});

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

describe('bundled pages', () => {
  it('serves every page with its title in <title> and <h1>, and the sidebar marking it current', async () => {
    expect(site.model.pages.size).toBeGreaterThanOrEqual(15);
    for (const page of site.model.pages.values()) {
      const res = await request(app).get(page.url);
      expect(res.status, page.url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      const title = escapeHtml(page.frontMatter.title);
      expect(res.text).toContain(
        `<title>${escapeHtml(browserTitle(page.frontMatter.title, site.model.settings.name))}</title>`,
      );
      expect(res.text).toContain(`<h1>${title}</h1>`);
      if (!page.frontMatter.navigation?.hidden) {
        expect(res.text, page.url).toMatch(
          new RegExp(`<a class="app-side-nav__link" href="${page.url}" aria-current="page">`),
        );
      }
      expect(res.text.match(/aria-current="page"/g)?.length ?? 0, page.url).toBeLessThanOrEqual(2);
    }
  });

  it('serves the pages the programme needs', async () => {
    for (const url of [
      '/',
      '/work-streams/',
      '/work-streams/key-performance-indicators/',
      '/work-streams/maternity-systems-survey/',
      '/work-streams/intrapartum-deaths-enquiry/',
      '/work-streams/local-implementation-groups/',
      '/regional-maternity-data/',
      '/regional-projects/',
      '/documents/',
      '/about/',
      '/accessibility/',
    ]) {
      expect((await request(app).get(url)).status, url).toBe(200);
    }
  });

  it('expands only the current section in the sidebar', async () => {
    const res = await request(app).get('/work-streams/key-performance-indicators/');
    const nav = res.text.slice(res.text.indexOf('<nav class="app-layout__nav'));
    expect(nav).toContain('href="/work-streams/maternity-systems-survey/"');
    expect(nav).not.toContain('href="/regional-projects/pc-aims/"');
    expect(nav).toContain('href="/regional-projects/"');
  });

  it('gives the meta description from front matter and a canonical link', async () => {
    const res = await request(app).get('/about/');
    const about = site.model.pages.get('/about/')!;
    expect(res.text).toContain(`<meta name="description" content="${escapeHtml(about.frontMatter.description)}">`);
    expect(res.text).toContain('<link rel="canonical" href="https://perinatal.example.org/about/">');
  });

  it('shows review dates at the bottom of pages that have them', async () => {
    const res = await request(app).get('/about/');
    expect(res.text).toMatch(/Page last reviewed: \d{1,2} [A-Z][a-z]+ \d{4}/);
    expect(res.text).toMatch(/Next review due: \d{1,2} [A-Z][a-z]+ \d{4}/);
  });

  it('redirects the form without a trailing slash to the canonical URL', async () => {
    const res = await request(app).get('/work-streams/key-performance-indicators?x=1');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/work-streams/key-performance-indicators/?x=1');
  });

  it('answers unknown URLs with the 404 page in the site layout', async () => {
    const res = await request(app).get('/no-such-page/');
    expect(res.status).toBe(404);
    expect(res.text).toContain('<h1>Page not found</h1>');
    expect(res.text).toContain('app-side-nav');
  });

  it('serves sitemap.xml and robots.txt with absolute URLs', async () => {
    const sitemap = await request(app).get('/sitemap.xml');
    expect(sitemap.status).toBe(200);
    expect(sitemap.headers['content-type']).toBe('application/xml; charset=utf-8');
    for (const page of site.model.pages.values()) {
      expect(sitemap.text).toContain(`<loc>https://perinatal.example.org${page.url}</loc>`);
    }
    const robots = await request(app).get('/robots.txt');
    expect(robots.text).toContain('Sitemap: https://perinatal.example.org/sitemap.xml');
  });
});

describe('bad URLs', () => {
  const cases: [string, number[]][] = [
    ['/%', [400]],
    ['/%zz', [400]],
    ['/%00', [404]],
    ['/about%00/', [404]],
    ['/%2e%2e/%2e%2e/etc/passwd', [404]],
    ['/..%2f..%2fpackage.json', [404]],
    ['/work-streams%2fkey-performance-indicators/', [404]],
    ['/..\\..\\package.json', [404]],
    ['/%252e%252e/package.json', [404]],
    ['/%c0%ae%c0%ae/package.json', [404]],
    [`/${'a'.repeat(5000)}`, [414]],
    ['//evil.example/', [404]],
  ];
  for (const [url, statuses] of cases) {
    it(`answers ${JSON.stringify(url.slice(0, 40))} with ${statuses.join(' or ')} and no internals`, async () => {
      const res = await request(app).get(url);
      expect(statuses).toContain(res.status);
      expect(res.text).not.toMatch(/at .*\.(?:js|ts):\d+|Error:|node_modules/);
      expect(res.headers.location).toBeUndefined();
    });
  }
});
