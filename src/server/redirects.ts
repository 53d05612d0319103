/**
 * Old addresses of moved pages (content/redirects.ts): a permanent redirect
 * straight to where the page is now, answered alike by the fast path and the
 * Express app, with the query string kept.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findRedirect } from '../content/redirects.js';
import type { RenderedSite } from '../render/renderedSite.js';

/**
 * Browsers keep a 301 as long as they are told: an hour, as for the
 * trailing-slash redirect, so that an address staff give back to a page is
 * soon that page's again.
 */
export const REDIRECT_CACHE = 'public, max-age=3600';

/** Where a request for this (decoded) path is sent, if the site has moved what was there. */
export function redirectFor(site: RenderedSite, path: string): string | undefined {
  return findRedirect(site.model.redirects, path);
}

/** The Location header: the new address, percent-encoded, with the request's query string kept. */
export function redirectLocation(to: string, query: string): string {
  return `${encodeURI(to)}${query.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c))}`;
}

/** Sends the 301, with the headers every response gets (a flat list) first. */
export function sendRedirect(
  req: IncomingMessage,
  res: ServerResponse,
  location: string,
  headers: readonly string[] = [],
): void {
  res.writeHead(301, [
    ...headers,
    'Location',
    location,
    'Cache-Control',
    REDIRECT_CACHE,
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    '0',
  ]);
  res.end();
}
