/**
 * Errors never show internals: the site's own 500 page (or its 404 page for
 * a client error), logged with the request id. Headers set for the failed
 * response (type, length, cache, validators, a download's file name) are
 * dropped and the security headers applied afresh, so an error never
 * inherits what the route had set.
 */
import type { ErrorRequestHandler } from 'express';
import type { RenderedSite } from '../../render/renderedSite.js';
import type { RequestCore } from '../requestCore.js';
import { sendPrepared, sendText } from '../respond.js';

export function errorHandler(core: RequestCore, site: () => RenderedSite | null): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const status = statusOf(err);
    if (status >= 500) core.logger.error({ reqId: res.locals.requestId, err }, 'request failed');
    if (res.headersSent) return void res.destroy();
    for (const name of res.getHeaderNames()) {
      if (name !== 'x-request-id' && name !== 'connection') res.removeHeader(name);
    }
    core.headers.apply(res, res.locals.secure ?? false);
    let current: RenderedSite | null;
    try {
      current = site();
    } catch (siteError) {
      core.logger.error({ reqId: res.locals.requestId, err: siteError }, 'no site to render the error page with');
      current = null;
    }
    if (!current) return sendText(res, status < 500 ? status : 500, status < 500 ? 'Not Found' : 'Internal Server Error');
    if (status < 500) return sendPrepared(req, res, current.notFound, { status });
    return sendPrepared(req, res, current.serverError, { status: 500 });
  };
}

function statusOf(err: unknown): number {
  if (err && typeof err === 'object') {
    const s = (err as { status?: unknown; statusCode?: unknown }).status ?? (err as { statusCode?: unknown }).statusCode;
    if (typeof s === 'number' && s >= 400 && s < 600) return s;
  }
  return 500;
}
