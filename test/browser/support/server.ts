/**
 * A real HTTP server for browser tests, in this process, on 127.0.0.1 and a
 * port the system picks: the production app and server code, no mocks.
 */
import { listen } from '../../../src/server/httpServer.js';
import type { RenderedSite } from '../../../src/render/renderSite.js';
import { appFor } from '../../helpers/site.js';

export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

export async function startServer(site: RenderedSite): Promise<TestServer> {
  const running = await listen(() => appFor(site), {
    port: 0,
    host: '127.0.0.1',
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 20_000,
    keepAliveTimeoutMs: 5_000,
    connectionsCheckingIntervalMs: 1_000,
  });
  return {
    origin: `http://127.0.0.1:${running.port}`,
    close: async () => {
      await running.drain(2_000);
    },
  };
}
