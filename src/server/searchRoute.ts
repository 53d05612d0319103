/**
 * GET /search/?q=...&page=n: the live search, answered from the current
 * content version's search pages (see render/findPages.ts). The query string
 * is read as data: only the first `q` and `page` count, and the search page
 * checks their limits before any work. Results are never indexed by search
 * engines (X-Robots-Tag, and a robots meta tag in the page).
 */
import type { RequestHandler } from 'express';
import { SEARCH_URL } from '../content/engineUrls.js';
import type { RenderedSite } from '../render/renderSite.js';
import { sendPrepared } from './respond.js';

const WITHOUT_SLASH = SEARCH_URL.slice(0, -1);

export function searchRoute(currentSite: () => RenderedSite): RequestHandler {
  return (req, res, next) => {
    const path = res.locals.path as string;
    const query = res.locals.query as string;
    if (path === WITHOUT_SLASH) {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      return res.redirect(301, `${SEARCH_URL}${query}`);
    }
    if (path !== SEARCH_URL) return next();
    const params = new URLSearchParams(query);
    const answer = currentSite().find.searchPage(params.get('q'), params.get('page'));
    res.setHeader('X-Robots-Tag', 'noindex');
    if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
    sendPrepared(req, res, answer.response, { status: answer.status });
  };
}
