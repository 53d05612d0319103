/** The request core as the Express app's first middleware: id, log line and security headers. */
import type { RequestHandler } from 'express';
import type { RequestCore } from '../requestCore.js';

export function requestStart(core: RequestCore): RequestHandler {
  return (req, res, next) => {
    const start = core.begin(req, res);
    res.locals.requestId = start.id;
    res.locals.secure = start.secure;
    res.locals.untrustedProxy = start.untrustedProxy;
    res.setHeader('X-Request-Id', start.id);
    core.headers.apply(res, start.secure);
    next();
  };
}
