/**
 * Errors never show internals: the site's own 500 page (or its 404 page for
 * a client error), logged with the request id. Headers set for the failed
 * response (type, length, cache, validators, a download's file name) are
 * dropped and the security headers applied afresh, so an error never
 * inherits what the route had set.
 *
 * That holds in every mode. Express's own last handler prints the error's
 * stack (with absolute paths) unless NODE_ENV is "production", and it runs
 * whenever an error escapes our handlers (the preview started with invalid
 * content showed one): each app is therefore set to production, and ends
 * with a last-resort handler that answers a plain 500, never the error.
 */
import type { ErrorRequestHandler, Express, Response } from 'express';
import type { RenderedSite } from '../../render/renderedSite.js';
import type { RequestCore } from '../requestCore.js';
import { sendPrepared, sendText } from '../respond.js';

export function errorHandler(core: RequestCore, site: () => RenderedSite | null): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const status = statusOf(err);
    if (status >= 500) core.logger.error({ reqId: res.locals.requestId, err }, 'request failed');
    if (res.headersSent) return void res.destroy();
    freshHeaders(core, res);
    let current: RenderedSite | null;
    try {
      current = site();
    } catch (siteError) {
      core.logger.error({ reqId: res.locals.requestId, err: siteError }, 'no site to render the error page with');
      current = null;
    }
    if (!current)
      return sendText(res, status < 500 ? status : 500, status < 500 ? 'Not Found' : 'Internal Server Error');
    if (status < 500) return sendPrepared(req, res, current.notFound, { status });
    return sendPrepared(req, res, current.serverError, { status: 500 });
  };
}

/** Express's "production" behaviour whatever NODE_ENV says: no stack traces in responses. */
export function useProductionErrors(app: Express): void {
  app.set('env', 'production');
}

/**
 * The last error handler, for an error the one above could not answer (its
 * own error page failing to render, say): logs it and answers a plain 500
 * with the security headers.
 */
export function lastResortErrorHandler(core: RequestCore): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    core.logger.error({ reqId: res.locals.requestId, err }, 'request failed');
    if (res.headersSent) return void res.destroy();
    freshHeaders(core, res);
    sendText(res, 500, 'Internal Server Error');
  };
}

/** Drops the headers the failed response had set and applies the security headers afresh. */
function freshHeaders(core: RequestCore, res: Response): void {
  for (const name of res.getHeaderNames()) {
    if (name !== 'x-request-id' && name !== 'connection') res.removeHeader(name);
  }
  core.headers.apply(res, res.locals.secure ?? false);
}

function statusOf(err: unknown): number {
  if (err && typeof err === 'object') {
    const s =
      (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof s === 'number' && s >= 400 && s < 600) return s;
  }
  return 500;
}
