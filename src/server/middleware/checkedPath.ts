/**
 * Checks and decodes the request's path before any route sees it (see
 * requestPath.ts); routes read the result from `res.locals.path`.
 */
import type { RequestHandler } from 'express';
import type { RenderedSite } from '../../render/renderedSite.js';
import { parseRequestPath } from '../requestPath.js';
import { sendPrepared } from '../respond.js';

export function checkedPath(site: () => RenderedSite): RequestHandler {
  return (req, res, next) => {
    const parsed = parseRequestPath(req.originalUrl);
    if (!parsed.ok) return sendPrepared(req, res, site().notFound, { status: parsed.status });
    res.locals.path = parsed.path;
    res.locals.query = parsed.query;
    next();
  };
}
