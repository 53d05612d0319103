/**
 * The HTTP server around the Express app: explicit timeouts (so slow or
 * stalled clients are dropped quickly) and a graceful drain on shutdown.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Config } from '../config/config.js';

export type ServerTimeouts = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'connectionsCheckingIntervalMs'>;

export interface RunningServer {
  server: http.Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish, closes idle connections. */
  drain(hardDeadlineMs: number): Promise<'drained' | 'deadline'>;
  isDraining(): boolean;
}

export function createHttpServer(listener: RequestListener, timeouts: ServerTimeouts): http.Server {
  const server = http.createServer({
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
  }, listener);
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  return server;
}

export async function listen(
  buildListener: (isDraining: () => boolean) => RequestListener,
  options: ServerTimeouts & { port: number; host: string },
): Promise<RunningServer> {
  let draining = false;
  const isDraining = () => draining;
  const inner = buildListener(isDraining);
  const server = createHttpServer((req, res) => {
    // While draining, every response closes its connection behind it.
    if (draining) res.setHeader('Connection', 'close');
    inner(req, res);
  }, options);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const drain = (hardDeadlineMs: number) =>
    new Promise<'drained' | 'deadline'>((resolve) => {
      draining = true;
      const closeIdle = setInterval(() => server.closeIdleConnections(), 50);
      const deadline = setTimeout(() => {
        clearInterval(closeIdle);
        server.closeAllConnections();
        resolve('deadline');
      }, hardDeadlineMs);
      deadline.unref();
      server.close(() => {
        clearInterval(closeIdle);
        clearTimeout(deadline);
        resolve('drained');
      });
      server.closeIdleConnections();
    });

  return { server, port, drain, isDraining };
}
