/**
 * Sends a prepared, in-memory response: content negotiation, validators and
 * conditional GET, written with one writeHead call (the hot path of the site).
 */
import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import { negotiateEncoding, type PreparedResponse } from '../render/prepared.js';

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
  /** Extra headers as a flat [name, value, ...] list (the fast path's security headers). */
  headers?: readonly string[];
}

export function sendPrepared(req: IncomingMessage, res: ServerResponse, prepared: PreparedResponse, options: SendOptions = {}): void {
  const status = options.status ?? 200;
  const encoding = prepared.compressible ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';
  const headers: OutgoingHttpHeader[] = options.headers ? [...options.headers] : [];
  if (prepared.compressible) headers.push('Vary', 'Accept-Encoding');
  headers.push('Cache-Control', options.cacheControl ?? HTML_CACHE);
  if (status === 200) {
    const etag = prepared.etagFor(encoding);
    headers.push('ETag', etag);
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers as string[]);
      res.end();
      return;
    }
  }
  const body = prepared.bytes(encoding);
  headers.push('Content-Type', prepared.contentType);
  if (encoding !== 'identity') headers.push('Content-Encoding', encoding);
  headers.push('Content-Length', String(body.length));
  res.writeHead(status, headers as string[]);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
