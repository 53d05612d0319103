/**
 * The editor's preview server (npm run dev): the production app, plus
 * - /__dev/events, a server-sent events stream that tells open pages to reload
 *   after every rebuild, and /__dev/reload.js, the script that listens to it;
 * - an error page in place of every page while the content has errors.
 * None of this exists in the production app. The production CSP already
 * allows same-origin scripts and connections ('self'), so the preview adds no
 * inline script and needs no CSP change.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Config } from '../config/config.js';
import { renderErrorPage } from '../render/errorPage.js';
import { createApp } from './app.js';
import { lastResortErrorHandler, useProductionErrors } from './errorHandling.js';
import { EventStreams } from './eventStreams.js';
import { hostCheck } from './hostCheck.js';
import type { Logger } from './logger.js';
import type { LiveSite } from './reloader.js';
import { IMMUTABLE_CACHE, sendPrepared } from './respond.js';
import { securityHeaders } from './securityHeaders.js';

export const RELOAD_SCRIPT_URL = '/__dev/reload.js';
export const EVENTS_URL = '/__dev/events';

/**
 * Reloads the page when the server announces a version other than the one it
 * was loaded with. A stream replaced by a newer one from the same browser
 * (the server keeps a few per client) stops, and opens again when its tab is
 * looked at.
 */
export const RELOAD_SCRIPT = `let loadedWith = null;
let source = null;
function listen() {
  source = new EventSource(${JSON.stringify(EVENTS_URL)});
  source.addEventListener('version', (event) => {
    if (loadedWith === null) loadedWith = event.data;
    else if (event.data !== loadedWith) location.reload();
  });
  source.addEventListener('replaced', () => source.close());
}
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && source.readyState === EventSource.CLOSED) listen();
});
listen();
`;

export interface DevApp {
  app: express.Express;
  /** Ends the open event streams, so that the server can close. */
  close(): void;
  /** Number of open event streams, for tests. */
  clients(): number;
}

export function createDevApp(options: { live: LiveSite; config: Pick<Config, 'trustProxy'> & Partial<Pick<Config, 'host'>>; logger: Logger; pathPrefix: string }): DevApp {
  const { live } = options;
  // A new id per process: a page reloads after the preview restarts too.
  const bootId = randomUUID().slice(0, 8);
  let counter = 0;
  const version = () => `${bootId}-${counter}`;
  const streams = new EventStreams();

  const unsubscribe = live.onReload(() => {
    counter++;
    streams.broadcast(`event: version\ndata: ${version()}\n\n`);
  });
  const heartbeat = setInterval(() => streams.broadcast(': keep-alive\n\n'), 15_000);
  heartbeat.unref();

  const app = express();
  useProductionErrors(app);
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('trust proxy', options.config.trustProxy);
  const headers = securityHeaders();
  app.use(headers);
  app.use(hostCheck({ ...(options.config.host ? { host: options.config.host } : {}) }));

  app.get(EVENTS_URL, (req: Request, res: Response) => {
    if (req.method === 'HEAD') {
      res.status(200).setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      res.end();
      return;
    }
    const client = req.ip ?? req.socket.remoteAddress ?? '';
    if (!streams.hasRoomFor(client)) {
      res.status(503).setHeader('Retry-After', '5');
      res.end();
      return;
    }
    // A stream is idle by design: the server's no-progress timeout does not apply (the limits above do).
    res.setTimeout(0);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.flushHeaders();
    res.write(`retry: 500\nevent: version\ndata: ${version()}\n\n`);
    streams.add(client, res);
  });

  app.get(RELOAD_SCRIPT_URL, (_req, res) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(RELOAD_SCRIPT);
  });

  app.use((req, res, next) => {
    const status = live.status();
    const path = req.path;
    // Health checks by their exact URL: "/readyz#%zz" is not one (Express's req.path would say it is).
    const isHealthCheck = req.url === '/healthz' || req.url === '/readyz';
    if (path.startsWith('/assets/')) {
      // Served from the newest assets, even before any valid content loaded.
      const asset = live.assets().byUrl.get(path);
      if (asset) return sendPrepared(req, res, asset.response, { cacheControl: IMMUTABLE_CACHE });
    }
    if (status.state === 'current' || isHealthCheck || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    let stylesheetUrl: string | null = null;
    try {
      stylesheetUrl = live.assets().url('main.css');
    } catch {
      stylesheetUrl = null;
    }
    const html = renderErrorPage({
      diagnostics: status.diagnostics,
      fileText: (file) => live.fileText(file),
      pathPrefix: options.pathPrefix,
      stylesheetUrl,
      reloadScriptUrl: RELOAD_SCRIPT_URL,
      hasPreviousVersion: status.state === 'stale',
    });
    res.status(500);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(req.method === 'HEAD' ? undefined : html);
  });

  app.use(createApp({ config: options.config, site: () => live.current()!, logger: options.logger, contentStatus: () => live.status() }));
  app.use(lastResortErrorHandler(options.logger, headers));

  return {
    app,
    close() {
      unsubscribe();
      clearInterval(heartbeat);
      streams.endAll();
    },
    clients: () => streams.size,
  };
}
