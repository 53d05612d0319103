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
    return { notModified, ok, etag };
  };
  if (extraKey === undefined && extra.length > 0) return build();
  return prepared.memo(`headers|${encoding}|${cacheControl}|${extraKey ?? ''}`, build);
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
      res.writeHead(304, [...own, ...entry.notModified]);
      res.end();
      return;
    }
    // The body is had before anything is written, so a failure can still become a 500.
    const body = prepared.bytes(encoding);
    res.writeHead(200, own.length === 0 ? entry.ok : [...own, ...entry.ok]);
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
