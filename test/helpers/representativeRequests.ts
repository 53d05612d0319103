/**
 * One request for every kind of response the server gives. The header
 * tests run every security check over each of them, so a new kind of
 * response (downloads, say) is covered by adding one line here.
 */
import type { RenderedSite } from '../../src/render/renderedSite.js';

export interface RepresentativeRequest {
  name: string;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  /** A path, or a function of the site for URLs that depend on it (fingerprinted assets). */
  path: string | ((site: RenderedSite) => string);
  headers?: Record<string, string>;
  body?: string;
  status: number;
  /** Run against an app whose site breaks on page lookup, to produce a real 500. */
  broken?: boolean;
}

const asset = (name: string) => (site: RenderedSite) => site.assets.url(name);

export const REPRESENTATIVE_REQUESTS: RepresentativeRequest[] = [
  { name: 'home page', path: '/', status: 200 },
  { name: 'nested page', path: '/work-streams/key-performance-indicators/', status: 200 },
  { name: 'HEAD of a page', method: 'HEAD', path: '/about/', status: 200 },
  { name: 'conditional GET answered 304', path: '/about/', headers: { 'If-None-Match': '*' }, status: 304 },
  { name: 'stylesheet', path: asset('main.css'), status: 200 },
  { name: 'script', path: asset('app.js'), status: 200 },
  { name: 'image', path: asset('images/favicon.svg'), status: 200 },
  { name: 'favicon.ico', path: '/favicon.ico', status: 200 },
  { name: 'sitemap', path: '/sitemap.xml', status: 200 },
  { name: 'robots.txt', path: '/robots.txt', status: 200 },
  { name: 'health check', path: '/healthz', status: 200 },
  { name: 'readiness check', path: '/readyz', status: 200 },
  { name: 'redirect to the canonical URL', path: '/about', status: 301 },
  { name: 'unknown page', path: '/no-such-page/', status: 404 },
  { name: 'unknown asset', path: '/assets/nothing.css', status: 404 },
  { name: 'malformed percent-encoding', path: '/%zz', status: 400 },
  { name: 'overlong path', path: `/${'a'.repeat(3000)}`, status: 414 },
  { name: 'POST', method: 'POST', path: '/', status: 405 },
  { name: 'OPTIONS', method: 'OPTIONS', path: '/', status: 405 },
  { name: 'DELETE', method: 'DELETE', path: '/about/', status: 405 },
  { name: 'GET with a body', path: '/', headers: { 'Content-Type': 'text/plain' }, body: 'hello', status: 413 },
  { name: 'server error', path: '/about/', broken: true, status: 500 },
  { name: 'CSV download', path: (site) => downloadEnding(site, '.csv'), status: 200 },
  { name: 'PDF download', path: (site) => downloadEnding(site, '.pdf'), status: 200 },
  {
    name: 'download range',
    path: (site) => downloadEnding(site, '.pdf'),
    headers: { Range: 'bytes=0-9' },
    status: 206,
  },
  {
    name: 'download unsatisfiable range',
    path: (site) => downloadEnding(site, '.pdf'),
    headers: { Range: 'bytes=99999999-' },
    status: 416,
  },
  {
    name: 'download not modified',
    path: (site) => downloadEnding(site, '.csv'),
    headers: { 'If-None-Match': '*' },
    status: 304,
  },
  { name: 'undeclared file in a document folder', path: '/documents/regional-perinatal-dataset/index.md', status: 404 },
  { name: 'search page', path: '/search/', status: 200 },
  { name: 'search results', path: '/search/?q=dataset&page=1', status: 200 },
  { name: 'search query over the limit', path: `/search/?q=${'a'.repeat(300)}`, status: 200 },
  { name: 'search without its slash', path: '/search?q=dataset', status: 301 },
  { name: 'A to Z list', path: '/a-z/', status: 200 },
  { name: 'Atom feed', path: '/feed.xml', status: 200 },
];

function downloadEnding(site: RenderedSite, extension: string): string {
  const url = [...site.model.library.downloads.keys()].find((u) => u.endsWith(extension));
  if (!url) throw new Error(`the bundled site has no ${extension} download`);
  return url;
}

export function pathOf(request: RepresentativeRequest, site: RenderedSite): string {
  return typeof request.path === 'function' ? request.path(site) : request.path;
}

/** A copy of the site whose page lookup throws: every page request then fails with a 500. */
export function brokenSite(site: RenderedSite): RenderedSite {
  return Object.create(site, {
    pages: {
      get() {
        throw new Error('simulated failure while looking up a page');
      },
    },
  }) as RenderedSite;
}
