/**
 * The HTTP server around the Express app: explicit timeouts (so slow or
 * stalled clients are dropped quickly) and a graceful drain on shutdown.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener, ServerResponse } from 'node:http';
import type { Config } from '../config/config.js';

export type ServerTimeouts = Pick<Config, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'connectionsCheckingIntervalMs'>;

export type DrainOutcome = 'drained' | 'deadline';

export interface RunningServer {
  server: http.Server;
  port: number;
  /**
   * Stops accepting connections, closes idle keep-alive connections at once,
   * lets in-flight requests finish (each answered with Connection: close),
   * and resolves when the last connection is gone, or at the hard deadline
   * after cutting whatever is left.
   */
  drain(hardDeadlineMs: number): Promise<DrainOutcome>;
  isDraining(): boolean;
}

/** How often idle connections are swept while draining: a busy one becomes idle when its response ends. */
const IDLE_SWEEP_MS = 25;

export function createHttpServer(listener: RequestListener, timeouts: ServerTimeouts): http.Server {
  // connectionsCheckingInterval can only be set here, at creation; the
  // checker is what enforces headersTimeout and requestTimeout (slowloris).
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs,
    },
    listener,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  // A socket on which nothing moves for this long (a client that stopped
  // reading its response, say) is destroyed rather than held forever.
  server.timeout = timeouts.requestTimeoutMs;
  return server;
}

export async function listen(
  buildListener: (isDraining: () => boolean) => RequestListener,
  options: ServerTimeouts & { port: number; host: string },
): Promise<RunningServer> {
  let draining = false;
  const isDraining = () => draining;
  const inner = buildListener(isDraining);
  /** Responses not yet finished, so that a drain can mark them Connection: close. */
  const inFlight = new Set<ServerResponse>();

  const server = createHttpServer((req, res) => {
    // While draining, every response closes its connection behind it.
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
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

  let drained: Promise<DrainOutcome> | undefined;
  const drain = (hardDeadlineMs: number): Promise<DrainOutcome> => {
    drained ??= new Promise<DrainOutcome>((resolve) => {
      draining = true;
      for (const res of inFlight) {
        if (!res.headersSent) res.setHeader('Connection', 'close');
      }
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const deadline = setTimeout(() => {
        clearInterval(sweep);
        server.closeAllConnections();
        resolve('deadline');
      }, hardDeadlineMs);
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve('drained');
      });
      server.closeIdleConnections();
    });
    return drained;
  };

  return { server, port, drain, isDraining };
}
