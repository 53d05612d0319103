/**
 * The request listener the server runs: a fast path for the requests that
 * make up nearly all traffic (GET or HEAD of a page, asset, favicon, sitemap or robots
 * file held in memory), and the Express app for everything else.
 *
 * The fast path sends exactly what the Express app would (a test compares
 * them header by header); it only skips the per-request middleware machinery.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RenderedSite } from '../render/renderSite.js';
import { createApp, type AppOptions } from './app.js';
import { EncodingMemo } from './encodingMemo.js';
import { findInMemory } from './inMemory.js';
import { logRequest, requestIdFor } from './requestContext.js';
import { parseRequestPath } from './requestPath.js';
import { sendPrepared } from './respond.js';
import { securityHeaderList } from './staticHeaders.js';

type TrustFunction = (address: string | undefined, hop: number) => boolean;

export function createSiteHandler(options: AppOptions): RequestListener {
  const app = createApp(options);
  const currentSite = typeof options.site === 'function' ? options.site : () => options.site as RenderedSite;
  const trust = app.get('trust proxy fn') as TrustFunction;
  const flatten = (list: [string, string][]) => list.flat();
  const headers = { http: flatten(securityHeaderList(false)), https: flatten(securityHeaderList(true)) };

  // Express's rule for req.secure, so HSTS is sent on exactly the same requests.
  const isSecure = (req: IncomingMessage): boolean => {
    if ((req.socket as TLSSocket).encrypted) return true;
    if (!trust(req.socket.remoteAddress, 0)) return false;
    const proto = req.headers['x-forwarded-proto'];
    const first = (Array.isArray(proto) ? proto[0] : proto)?.split(',')[0]?.trim();
    return first === 'https';
  };

  const encodings = new EncodingMemo();

  return (req: IncomingMessage, res: ServerResponse) => {
    const hot =
      (req.method === 'GET' || req.method === 'HEAD') &&
      req.headers['content-length'] === undefined &&
      req.headers['transfer-encoding'] === undefined &&
      req.url !== undefined &&
      !req.url.includes('?');
    if (hot) {
      let cancelLog: (() => void) | undefined;
      try {
        const site = currentSite();
        // A request for a known URL as written needs no decoding: the keys are
        // canonical paths. Anything else is checked and decoded first.
        let target = findInMemory(site, req.url!);
        if (!target) {
          const parsed = parseRequestPath(req.url!);
          target = parsed.ok ? findInMemory(site, parsed.path) : undefined;
        }
        if (target) {
          const id = requestIdFor(req);
          cancelLog = logRequest(req, res, options.logger, id);
          sendPrepared(req, res, target.response, {
            cacheControl: target.cacheControl,
            ...(isSecure(req) ? { headers: headers.https, headersKey: 'https' } : { headers: headers.http, headersKey: 'http' }),
            requestHeaders: ['X-Request-Id', id],
            encoding: encodings.encodingFor(req.headers['accept-encoding']),
          });
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
