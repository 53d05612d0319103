/**
 * The editor's preview server (npm run dev): the production app serving the
 * preview view of the live site, plus
 * - /__dev/events, a server-sent events stream that tells open pages to reload
 *   after every rebuild, and /__dev/reload.js, the script that listens to it;
 * - problems shown where the person is looking (previewProblems): on the page
 *   they concern, the other pages served from the last version without errors.
 * None of this exists in the production app. The production CSP already
 * allows same-origin scripts and connections ('self'), so the preview adds no
 * inline script and needs no CSP change.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { TrustProxy } from '../config/config.js';
import type { LiveSite } from '../live/liveSite.js';
import type { SearchSource } from '../search/searchPages.js';
import { createApp } from './app.js';
import { EventStreams } from './eventStreams.js';
import type { Logger } from '../logger.js';
import { hostCheck } from './middleware/hostCheck.js';
import { previewProblems } from './previewProblems.js';

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

export function createDevApp(options: {
  live: LiveSite;
  config: { trustProxy: TrustProxy; host?: string };
  logger: Logger;
  pathPrefix: string;
  /** The preview's search index (drafts included), kept in step with it. */
  search?: SearchSource;
}): DevApp {
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

  const events = express.Router();
  events.get(EVENTS_URL, (req: Request, res: Response) => {
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
  events.get(RELOAD_SCRIPT_URL, (_req, res) => {
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(RELOAD_SCRIPT);
  });

  const app = createApp({
    config: options.config,
    site: () => live.currentPreview()!,
    logger: options.logger,
    contentStatus: () => live.previewStatus(),
    ...(options.search ? { search: options.search } : {}),
    // The host check first: nothing of the preview (drafts, the error page's source lines) answers another name.
    before: [
      hostCheck({ ...(options.config.host ? { host: options.config.host } : {}) }),
      events,
      previewProblems(live, options.pathPrefix, RELOAD_SCRIPT_URL),
    ],
  });

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
