/**
 * A real HTTP server for browser tests, in this process, on 127.0.0.1 and a
 * port the system picks: the production request handler and server code, no mocks.
 */
import type { RequestListener } from 'node:http';
import type { RenderedSite } from '../../../src/render/renderedSite.js';
import { createSiteHandler } from '../../../src/server/handler.js';
import { listen, type RunningServer } from '../../../src/server/httpServer.js';
import { createLogger } from '../../../src/logger.js';

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

/** A handler listening on 127.0.0.1 and a port the system picks, with the server's own timeouts, short. */
export function listenOnLoopback(
  buildListener: (isDraining: () => boolean) => RequestListener,
): Promise<RunningServer> {
  return listen(buildListener, {
    port: 0,
    host: '127.0.0.1',
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
    keepAliveTimeoutMs: 5_000,
    connectionsCheckingIntervalMs: 1_000,
  });
}

export async function startServer(site: RenderedSite): Promise<TestServer> {
  const running = await listenOnLoopback((isDraining) =>
    createSiteHandler({ config: { trustProxy: false }, site, logger: createLogger('silent'), isDraining }),
  );
  return {
    origin: `http://127.0.0.1:${running.port}`,
    close: async () => {
      await running.drain(2_000);
    },
  };
}
