/** Sends a prepared, in-memory response: content negotiation, validators and conditional GET. */
import type { Request, Response } from 'express';
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

export function sendPrepared(
  req: Request,
  res: Response,
  prepared: PreparedResponse,
  options: { status?: number; cacheControl?: string } = {},
): void {
  const status = options.status ?? 200;
  const encoding = prepared.compressible ? negotiateEncoding(req.headers['accept-encoding']) : 'identity';
  if (prepared.compressible) res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('Cache-Control', options.cacheControl ?? HTML_CACHE);
  if (status === 200) {
    const etag = prepared.etagFor(encoding);
    res.setHeader('ETag', etag);
    if (etagMatches(req.headers['if-none-match'], etag)) {
      res.status(304).end();
      return;
    }
  }
  const body = prepared.bytes(encoding);
  res.setHeader('Content-Type', prepared.contentType);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.status(status);
  if (req.method === 'HEAD') res.end();
  else res.end(body);
}
