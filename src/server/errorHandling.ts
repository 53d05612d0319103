/**
 * Production error handling for every Express app of ours, in every mode.
 * Express's own last handler prints the error's stack (with absolute paths)
 * unless NODE_ENV is "production", and it runs whenever an error escapes our
 * handlers: the preview started with invalid content showed one. Each app is
 * therefore set to production, and ends with a handler that answers a plain
 * 500 with the security headers, never the error.
 */
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { Logger } from './logger.js';

/** Express's "production" behaviour whatever NODE_ENV says: no stack traces in responses. */
export function useProductionErrors(app: Express): void {
  app.set('env', 'production');
}

/**
 * The last error handler: logs the error, drops whatever headers the failed
 * route set, applies the security headers afresh and answers a plain 500.
 */
export function lastResortErrorHandler(logger: Logger, securityHeaders: readonly RequestHandler[]): ErrorRequestHandler {
  return (err, req, res, _next) => {
    logger.error({ reqId: res.locals.requestId, err }, 'request failed');
    if (res.headersSent) return void res.destroy();
    for (const name of res.getHeaderNames()) {
      if (name !== 'x-request-id' && name !== 'connection') res.removeHeader(name);
    }
    for (const handler of securityHeaders) handler(req, res, () => undefined);
    res.status(500);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end('Internal Server Error\n');
  };
}
