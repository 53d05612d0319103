/**
 * Sends a prepared, in-memory response: content negotiation, validators and
 * conditional GET, written with one writeHead call (the hot path of the site).
 */
import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { negotiateEncoding, type Encoding, type PreparedResponse } from '../render/prepared.js';

export const HTML_CACHE = 'no-cache';
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** If-None-Match uses the weak comparison: W/"x" matches "x". */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

export interface SendOptions {
  status?: number;
  cacheControl?: string;
  /** Extra headers as a flat [name, value, ...] list (the fast path's security headers)... */
  headers?: readonly string[];
  /** ...named, so the header lists built with them can be kept (e.g. "http", "https"). */
  headersKey?: string;
  /** ...and headers for this request alone (its request id), sent first. */
  requestHeaders?: readonly string[];
  /** The encoding, when the caller has already chosen it from Accept-Encoding. */
  encoding?: Encoding;
}

interface OkHeaders {
  notModified: string[];
  ok: string[];
  etag: string;
  /**
   * The same lists with room for one header of the request's own at the
   * front (its X-Request-Id): filled in and sent at once, so that a request
   * allocates no header list (writeHead copies the list before returning).
   */
  okWithOwn: string[];
  notModifiedWithOwn: string[];
}

/**
 * Memo keys of header lists by extra headers' name, cache policy and
 * encoding, made once: the fast path looks its lists up without building a
 * string per request.
 */
const memoKeys = new Map<string, Map<string, Record<Encoding, string>>>();
function memoKey(encoding: Encoding, cacheControl: string, extraKey: string): string {
  let byCache = memoKeys.get(extraKey);
  if (!byCache) memoKeys.set(extraKey, (byCache = new Map()));
  let byEncoding = byCache.get(cacheControl);
  if (!byEncoding) {
    const key = (e: Encoding) => `headers|${e}|${cacheControl}|${extraKey}`;
    byCache.set(cacheControl, (byEncoding = { br: key('br'), gzip: key('gzip'), identity: key('identity') }));
  }
  return byEncoding[encoding];
}

/**
 * Header lists of a 200 response by encoding, cache policy and extra headers:
 * the same for every request, so kept with the response when the extra
 * headers are named (the fast path sends thousands a second).
 */
function okHeaders(
  prepared: PreparedResponse,
  encoding: Encoding,
  cacheControl: string,
  extra: readonly string[],
  extraKey: string | undefined,
): OkHeaders {
  const build = (): OkHeaders => {
    const etag = prepared.etagFor(encoding);
    const length = prepared.bytes(encoding).length;
    const notModified = [...extra];
    if (prepared.compressible) notModified.push('Vary', 'Accept-Encoding');
    notModified.push('Cache-Control', cacheControl, 'ETag', etag);
    const ok = [...notModified, 'Content-Type', prepared.contentType];
    if (encoding !== 'identity') ok.push('Content-Encoding', encoding);
    ok.push('Content-Length', String(length));
    return { notModified, ok, etag, okWithOwn: ['', '', ...ok], notModifiedWithOwn: ['', '', ...notModified] };
  };
  if (extraKey === undefined && extra.length > 0) return build();
  return prepared.memo(memoKey(encoding, cacheControl, extraKey ?? ''), build);
}

/** The list with the request's own header in front: the kept list filled in when it is one header. */
function withOwn(own: readonly string[], list: string[], spare: string[]): string[] {
  if (own.length === 0) return list;
  if (own.length !== 2) return [...own, ...list];
  spare[0] = own[0]!;
  spare[1] = own[1]!;
  return spare;
}

const NO_HEADERS: readonly string[] = [];

export function sendPrepared(
  req: IncomingMessage,
  res: ServerResponse,
  prepared: PreparedResponse,
  options: SendOptions = {},
): void {
  const status = options.status ?? 200;
  const encoding = !prepared.compressible
    ? 'identity'
    : (options.encoding ?? negotiateEncoding(req.headers['accept-encoding']));
  const cacheControl = options.cacheControl ?? HTML_CACHE;
  const extra = options.headers ?? NO_HEADERS;
  const own = options.requestHeaders ?? NO_HEADERS;
  if (status === 200) {
    const entry = okHeaders(prepared, encoding, cacheControl, extra, options.headersKey);
    if (etagMatches(req.headers['if-none-match'], entry.etag)) {
      res.writeHead(304, withOwn(own, entry.notModified, entry.notModifiedWithOwn));
      res.end();
      return;
    }
    // The body is had before anything is written, so a failure can still become a 500.
    const body = prepared.bytes(encoding);
    res.writeHead(200, withOwn(own, entry.ok, entry.okWithOwn));
    if (req.method === 'HEAD') res.end();
    else res.end(body);
    return;
  }
  // Error statuses (404 and the like) are rarer and carry no validators.
  const body = prepared.bytes(encoding);
  const headers: OutgoingHttpHeader[] = [...own, ...extra];
  if (prepared.compressible) headers.push('Vary', 'Accept-Encoding');
  headers.push('Cache-Control', cacheControl, 'Content-Type', prepared.contentType);
  if (encoding !== 'identity') headers.push('Content-Encoding', encoding);
  headers.push('Content-Length', String(body.length));
  res.writeHead(status, headers as string[]);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}

/** A short plain-text answer (health probes, refused methods), never cached. */
export function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}
