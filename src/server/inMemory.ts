/**
 * The responses held in memory, by exact URL: assets, the favicon, sitemap,
 * robots, the A to Z list, the feed and pages. One lookup for the Express
 * app and its fast path, so the two can never disagree about what exists.
 */
import { A_TO_Z_URL, FEED_URL } from '../content/engineUrls.js';
import { FAVICON } from '../render/assets.js';
import type { PreparedResponse } from '../render/prepared.js';
import type { RenderedSite } from '../render/renderedSite.js';
import { IMMUTABLE_CACHE } from './respond.js';

export interface InMemoryTarget {
  /** A page not rendered yet may be on its way from a worker thread. */
  response: PreparedResponse | Promise<PreparedResponse>;
  cacheControl?: string;
}

/** The favicon also answers at the address browsers ask for by themselves. */
const FAVICON_CACHE = 'public, max-age=86400';

export function findInMemory(site: RenderedSite, path: string): InMemoryTarget | undefined {
  if (path.startsWith('/assets/')) {
    const asset = site.assets.byUrl.get(path)?.response ?? site.images.get(path);
    return asset ? { response: asset, cacheControl: IMMUTABLE_CACHE } : undefined;
  }
  if (path === '/favicon.ico') {
    const icon = site.assets.byName.get(FAVICON);
    return icon ? { response: icon.response, cacheControl: FAVICON_CACHE } : undefined;
  }
  if (path === '/sitemap.xml') return { response: site.sitemap };
  if (path === '/robots.txt') return { response: site.robots };
  if (path === A_TO_Z_URL) return { response: site.enginePages.atoZ };
  if (path === FEED_URL) return { response: site.enginePages.feed };
  const page = site.pages.whenReady(path);
  return page ? { response: page } : undefined;
}
