/**
 * GET /search/?q=...&page=n: the live search, answered from the current
 * content version with its search index (see search/searchPages.ts). The
 * query string is read as data: only the first `q` and `page` count, and the
 * search page checks their limits before any work. Results are never indexed
 * by search engines (X-Robots-Tag, and a robots meta tag in the page).
 */
import type { RequestHandler } from 'express';
import { SEARCH_URL } from '../../content/engineUrls.js';
import type { SiteModel } from '../../content/model.js';
import type { RenderedSite } from '../../render/renderedSite.js';
import { onDemandIndex } from '../../search/liveIndex.js';
import { searchPage, type SearchSource } from '../../search/searchPages.js';
import { sendPrepared } from '../respond.js';

const WITHOUT_SLASH = SEARCH_URL.slice(0, -1);

/**
 * `index` is the index of the view served, kept in step with its versions by
 * the command that serves it. Without one (a site rendered once, as in
 * tests), each version gets an index of its own, built in one go when first
 * searched.
 */
export function searchRoutes(site: () => RenderedSite, index?: SearchSource): RequestHandler {
  let own: { model: SiteModel; index: SearchSource } | null = null;
  const indexFor = (model: SiteModel): SearchSource => {
    if (index) return index;
    if (own?.model !== model) own = { model, index: onDemandIndex(model) };
    return own.index;
  };
  return (req, res, next) => {
    const { path, query } = res.locals;
    if (path === WITHOUT_SLASH) {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      return res.redirect(301, `${SEARCH_URL}${query}`);
    }
    if (path !== SEARCH_URL) return next();
    const current = site();
    const params = new URLSearchParams(query);
    const answer = searchPage(current, indexFor(current.model), params.get('q'), params.get('page'));
    res.setHeader('X-Robots-Tag', 'noindex');
    if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
    sendPrepared(req, res, answer.response, { status: answer.status });
  };
}
