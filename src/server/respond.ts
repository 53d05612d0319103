/** Sends a prepared, in-memory response with validators and conditional GET. */
import type { Request, Response } from 'express';
import type { PreparedResponse } from '../render/renderSite.js';

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
  res.setHeader('Content-Type', prepared.contentType);
  res.setHeader('Cache-Control', options.cacheControl ?? HTML_CACHE);
  if (status === 200) {
    res.setHeader('ETag', prepared.etag);
    if (etagMatches(req.headers['if-none-match'], prepared.etag)) {
      res.removeHeader('Content-Type');
      res.status(304).end();
      return;
    }
  }
  res.setHeader('Content-Length', prepared.body.length);
  res.status(status);
  if (req.method === 'HEAD') res.end();
  else res.end(prepared.body);
}
