/** Search pages of a rendered site for tests, each site with an index of its own built on first use. */
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { onDemandIndex } from '../../src/search/liveIndex.js';
import { searchPage, type SearchAnswer, type SearchSource } from '../../src/search/searchPages.js';

const indexes = new WeakMap<RenderedSite, SearchSource>();

export function searchFor(site: RenderedSite, q: string | null, page: string | null = null): SearchAnswer {
  let index = indexes.get(site);
  if (!index) indexes.set(site, (index = onDemandIndex(site.model)));
  return searchPage(site, index, q, page);
}
