/**
 * The Express application, built by a factory from its configuration and
 * site so that tests (and reloads) can make their own instances.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config/config.js';
import type { RenderedSite } from '../render/renderSite.js';
import { serveDocumentFile } from './documentFiles.js';
import { useProductionErrors } from './errorHandling.js';
import type { Logger } from './logger.js';
import { logRequest, requestIdFor } from './requestContext.js';
import { parseRequestPath } from './requestPath.js';
import { findInMemory } from './inMemory.js';
import { sendPrepared } from './respond.js';
import { securityHeaders } from './securityHeaders.js';

export interface AppOptions {
  config: Pick<Config, 'trustProxy'>;
  /** The current site; a function so that a reload can swap it atomically. */
  site: RenderedSite | (() => RenderedSite);
  logger: Logger;
  /** True while the server drains for shutdown: /readyz then answers 503. */
  isDraining?: () => boolean;
  /** Whether the content served is the content on disk (see readinessResponse). */
  contentStatus?: () => { state: 'current' | 'stale' | 'none' };
}

const ALLOWED_METHODS = 'GET, HEAD';

export function createApp(options: AppOptions): express.Express {
  const currentSite = typeof options.site === 'function' ? options.site : () => options.site as RenderedSite;
  const { logger } = options;
  const app = express();
  useProductionErrors(app);
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', options.config.trustProxy);

  // Request id and one log line per request.
  app.use((req, res, next) => {
    const id = requestIdFor(req);
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    logRequest(req, res, logger, id);
    next();
  });

  const applySecurityHeaders = securityHeaders();
  app.use(applySecurityHeaders);

  // Public routes are read-only: GET and HEAD, and no request bodies. A
  // refused body is not read: the connection closes after the answer.
  app.use((req, res, next) => {
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (hasBody) res.setHeader('Connection', 'close');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', ALLOWED_METHODS);
      return sendStatus(res, 405, 'Method Not Allowed');
    }
    if (hasBody) return sendStatus(res, 413, 'Request bodies are not accepted');
    next();
  });

  app.use((req, res, next) => {
    const parsed = parseRequestPath(req.originalUrl);
    if (!parsed.ok) {
      if (parsed.status === 404) return notFound(req, res);
      return sendPrepared(req, res, currentSite().notFound, { status: parsed.status });
    }
    res.locals.path = parsed.path;
    res.locals.query = parsed.query;
    next();
  });

  app.get('/healthz', (_req, res) => sendStatus(res, 200, 'ok'));
  app.get('/readyz', (_req, res) => {
    if (options.isDraining?.()) return sendStatus(res, 503, 'draining');
    const content = options.contentStatus?.().state ?? 'current';
    res.setHeader('X-Content-Status', content);
    // Stale content is still a complete, valid site: stay in rotation (see README, "Reloading content").
    return sendStatus(res, 200, content === 'stale' ? 'ready (content stale: the latest content has errors, the previous version is served)' : 'ready');
  });

  app.use((req, res, next) => {
    const site = currentSite();
    const path = res.locals.path as string;
    const target = findInMemory(site, path);
    if (target) return sendPrepared(req, res, target.response, { cacheControl: target.cacheControl });

    // Only files a document declares: a map lookup, never a path built from the URL.
    const download = site.model.library.downloads.get(path);
    if (download) return serveDocumentFile(req, res, download, logger, notFound);

    // One canonical URL per page: the form without the trailing slash redirects.
    if (!path.endsWith('/') && site.pages.has(`${path}/`)) {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      return res.redirect(301, `${encodeURI(`${path}/`)}${res.locals.query as string}`);
    }
    next();
  });

  app.use(notFound);

  // Errors never show internals: the site's own 500 page, logged with the
  // request id. Headers set for the failed response (type, length, cache,
  // validators, a download's file name) are dropped and the security headers
  // applied afresh, so an error never inherits what the route had set.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = statusOf(err);
    if (status >= 500) logger.error({ reqId: res.locals.requestId, err }, 'request failed');
    if (res.headersSent) return void res.destroy();
    for (const name of res.getHeaderNames()) {
      if (name !== 'x-request-id' && name !== 'connection') res.removeHeader(name);
    }
    for (const handler of applySecurityHeaders) handler(req, res, () => undefined);
    let site: RenderedSite;
    try {
      site = currentSite();
      // The preview serves before any valid content has loaded.
      if (!site) throw new Error('no valid content has loaded yet');
    } catch (siteError) {
      logger.error({ reqId: res.locals.requestId, err: siteError }, 'no site to render the error page with');
      return sendStatus(res, 500, 'Internal Server Error');
    }
    if (status < 500) return sendPrepared(req, res, site.notFound, { status });
    return sendPrepared(req, res, site.serverError, { status: 500 });
  });

  function notFound(req: Request, res: Response): void {
    sendPrepared(req, res, currentSite().notFound, { status: 404 });
  }
  return app;
}

function sendStatus(res: Response, status: number, text: string): void {
  res.status(status).setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}

function statusOf(err: unknown): number {
  if (err && typeof err === 'object') {
    const s = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof s === 'number' && s >= 400 && s < 600) return s;
  }
  return 500;
}
