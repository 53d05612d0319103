/**
 * The first guard against cross-site requests, checked before a body is
 * read: a request that changes something must come from a page of this
 * site. Browsers say where a request comes from in Sec-Fetch-Site; older
 * ones send Origin, compared with the Host the request was sent to. (Go's
 * CrossOriginProtection and OWASP's cheat sheet do the same.) The second
 * guard is the form token bound to the session.
 */
import type { IncomingMessage } from 'node:http';

export function isCrossSite(req: IncomingMessage, secure: boolean): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return false; // not a browser, or a very old one: the form token decides
  const host = req.headers.host;
  return host === undefined || origin !== `${secure ? 'https' : 'http'}://${host}`;
}
