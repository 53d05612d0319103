/**
 * The request listener the server runs: a fast path for the requests that
 * make up nearly all traffic, and the Express app for everything else.
 *
 * The fast path answers only anonymous, public reads of what is held in
 * memory: GET or HEAD, no body, no Cookie, no Authorization, nothing under
 * /edit/, and a page, asset, favicon, sitemap, robots file, A to Z list or
 * feed that exists.
 * Anything else, including every request of a signed-in editor, goes through
 * the Express app and its middleware. Both paths start a request with the
 * same request core (id, log line, security headers), so they answer alike.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { RenderedSite } from '../render/renderedSite.js';
import { createApp, type AppOptions } from './app.js';
import { EncodingMemo } from './encodingMemo.js';
import { findInMemory } from './inMemory.js';
import { hasRequestBody } from './middleware/readOnly.js';
import { createRequestCore } from './requestCore.js';
import { parseRequestPath } from './requestPath.js';
import { redirectFor, redirectLocation, sendRedirect } from './redirects.js';
import { sendPrepared } from './respond.js';

/** Addresses of the editor: never answered by the fast path, whatever they are. */
export const EDITOR_PREFIX = '/edit/';

/** True for the requests the fast path may answer; everything else goes to the Express app. */
export function isAnonymousPublicRead(req: IncomingMessage): boolean {
  const url = req.url;
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    url !== undefined &&
    !hasRequestBody(req.headers) &&
    req.headers.cookie === undefined &&
    req.headers.authorization === undefined &&
    !isEditorPath(url)
  );
}

/** /edit, /edit/..., /edit?...: the editor's, whatever follows. */
export function isEditorPath(url: string): boolean {
  const base = EDITOR_PREFIX.slice(0, -1);
  return url.startsWith(base) && (url.length === base.length || url[base.length] === '/' || url[base.length] === '?');
}

export function createSiteHandler(options: AppOptions): RequestListener {
  const core = options.core ?? createRequestCore({ trustProxy: options.config.trustProxy, logger: options.logger });
  const app = createApp({ ...options, core });
  const currentSite = typeof options.site === 'function' ? options.site : () => options.site as RenderedSite;

  // Browsers send a handful of distinct Accept-Encoding values: the choice for each is remembered.
  const encodings = new EncodingMemo();

  return (req: IncomingMessage, res: ServerResponse) => {
    if (isAnonymousPublicRead(req)) {
      let cancelLog: (() => void) | undefined;
      try {
        const site = currentSite();
        // A request for a known URL as written needs no decoding: the keys are
        // canonical paths. Anything else is checked and decoded first.
        let target = findInMemory(site, req.url!);
        if (!target) {
          const parsed = parseRequestPath(req.url!);
          target = parsed.ok ? findInMemory(site, parsed.path) : undefined;
          // An old address of a moved page is answered here too: it is as public and as cheap.
          const movedTo = parsed.ok && !target ? redirectFor(site, parsed.path) : undefined;
          if (parsed.ok && movedTo !== undefined) {
            const start = core.begin(req, res);
            cancelLog = start.cancelLog;
            const headers = ['X-Request-Id', start.id, ...core.headers.flat(start.secure)];
            sendRedirect(req, res, redirectLocation(movedTo, parsed.query), headers);
            return;
          }
        }
        if (target) {
          const start = core.begin(req, res);
          cancelLog = start.cancelLog;
          const options = {
            cacheControl: target.cacheControl,
            headers: core.headers.flat(start.secure),
            headersKey: start.secure ? 'https' : 'http',
            requestHeaders: ['X-Request-Id', start.id],
            encoding: encodings.encodingFor(req.headers['accept-encoding']),
          };
          if (!(target.response instanceof Promise)) sendPrepared(req, res, target.response, options);
          else {
            // A page on its way from a worker thread: other requests are answered meanwhile.
            // A failure (rendering, or sending what came back) is answered as the synchronous path's is, below.
            const cancel = start.cancelLog;
            target.response
              .then((response) => sendPrepared(req, res, response, options))
              .catch(() => {
                cancel();
                if (res.headersSent) res.destroy();
                else app(req, res);
              });
          }
          return;
        }
      } catch {
        // Anything that goes wrong here is answered, and logged, by the Express
        // app's error handling, so a failure looks the same on both paths.
        cancelLog?.();
        if (res.headersSent) {
          res.destroy();
          return;
        }
      }
    }
    app(req, res);
  };
}
