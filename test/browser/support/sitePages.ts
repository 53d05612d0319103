/**
 * The pages the browser suite visits: every URL in the sitemap (so pages added
 * later are covered without touching the tests), the "page not found" page and
 * the "server error" page.
 */
import type { RenderedSite } from '../../../src/render/renderedSite.js';
import { SITE_URL } from '../../helpers/site.js';

export interface PageUnderTest {
  /** Short name for messages and screenshot files, e.g. "work-streams--key-performance-indicators". */
  name: string;
  path: string;
  status: number;
}

/** Where the test server shows the 500 page: the app only serves it when a request fails. */
export const SERVER_ERROR_TEST_PATH = '/__test__/server-error/';
export const NOT_FOUND_TEST_PATH = '/no-such-page-here/';

/**
 * The site, with its 500 page also served at a test-only address (the sitemap
 * is unchanged). Every other page lookup goes to the site's own pages.
 */
export function withServerErrorPage(site: RenderedSite): RenderedSite {
  const pages = new Proxy(site.pages, {
    get(target, property) {
      // The server asks whenReady (a page may be on its way from a worker thread); other code asks get.
      if (property === 'get' || property === 'whenReady')
        return (url: string) =>
          url === SERVER_ERROR_TEST_PATH ? site.serverError : target[property as 'get' | 'whenReady'](url);
      if (property === 'has') return (url: string) => url === SERVER_ERROR_TEST_PATH || target.has(url);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { ...site, pages };
}

export function sitemapPaths(xml: string): string[] {
  const locs = [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => unescapeXml(m[1]!));
  if (locs.length === 0) throw new Error('the sitemap lists no URLs');
  return locs.map((loc) => {
    if (!loc.startsWith(`${SITE_URL}/`)) throw new Error(`sitemap URL ${loc} is not on ${SITE_URL}`);
    return loc.slice(SITE_URL.length);
  });
}

/** Read from the site's own sitemap (the bytes served at /sitemap.xml), so tests are known before any server starts. */
export function pagesUnderTest(site: RenderedSite): PageUnderTest[] {
  const pages = sitemapPaths(site.sitemap.body.toString('utf8')).map((path) => ({
    name: nameFor(path),
    path,
    status: 200,
  }));
  pages.push({ name: 'page-not-found', path: NOT_FOUND_TEST_PATH, status: 404 });
  pages.push({ name: 'server-error', path: SERVER_ERROR_TEST_PATH, status: 200 });
  return pages;
}

function nameFor(path: string): string {
  const trimmed = path.replace(/^\/|\/$/g, '');
  return trimmed === '' ? 'home' : trimmed.replace(/[^a-z0-9-]+/gi, '--');
}

function unescapeXml(s: string): string {
  return s.replace(
    /&(lt|gt|amp|apos|quot);/g,
    (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]!,
  );
}
