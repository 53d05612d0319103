/**
 * The HTTP server around the Express app: explicit timeouts (so slow or
 * stalled clients are dropped quickly) and a graceful drain on shutdown.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RequestListener, ServerResponse } from 'node:http';
import type { ServerConfig } from '../config/config.js';
import { answerClientErrors } from './clientError.js';

export type ServerTimeouts = Pick<
  ServerConfig,
  'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs' | 'connectionsCheckingIntervalMs'
>;

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
/**
 * A connection counts as idle only after this long with no request, nothing
 * left to send and no bytes received. Node's own closeIdleConnections()
 * (which server.close() calls) is not safe for a drain: it destroys a
 * connection whose last response has been handed over but not yet sent, so
 * a slow client gets a cut-off body; and it closes a connection in the
 * instant between two pipelined requests. Waiting a moment lets a next
 * request start (and be answered with Connection: close) instead.
 */
const IDLE_GRACE_MS = 100;

interface ConnectionState {
  active: number;
  idleSince: number;
  bytesReadWhenIdle: number;
  closing: boolean;
}

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
  // A socket on which nothing moves for this long is destroyed rather than
  // held forever (while a response is sent, listen() shortens it).
  server.timeout = timeouts.requestTimeoutMs;
  answerClientErrors(server);
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
  const stallTimeoutMs = Math.ceil(options.requestTimeoutMs / 2);
  const connections = new Map<Socket, ConnectionState>();

  const server = createHttpServer((req, res) => {
    // While draining, every response closes its connection behind it.
    if (draining) res.setHeader('Connection', 'close');
    inFlight.add(res);
    // A response that makes no progress (a client that stopped reading) ends
    // within the request timeout. Node lets one socket timeout pass while a
    // write is under way and ends the socket at the next with nothing sent in
    // between: hence half. After the response, the keep-alive timeout applies.
    res.setTimeout(stallTimeoutMs, () => res.destroy());
    const connection = connections.get(req.socket);
    if (connection) connection.active++;
    res.once('close', () => {
      inFlight.delete(res);
      if (connection) {
        connection.active--;
        connection.idleSince = Date.now();
        connection.bytesReadWhenIdle = req.socket.bytesRead;
      }
    });
    inner(req, res);
  }, options);
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, idleSince: Date.now(), bytesReadWhenIdle: 0, closing: false });
    socket.once('close', () => connections.delete(socket));
  });

  /** Closes connections with no request in progress or arriving, and nothing left to send. */
  const closeIdle = () => {
    const now = Date.now();
    for (const [socket, c] of connections) {
      const idle =
        c.active === 0 &&
        socket.writableLength === 0 &&
        socket.bytesRead === c.bytesReadWhenIdle &&
        now - c.idleSince >= IDLE_GRACE_MS;
      if (idle && !c.closing) {
        c.closing = true;
        // Flush, send FIN, then close, without waiting for the client.
        socket.destroySoon();
      }
    }
  };
  // server.close() calls this; ours replaces Node's unsafe one (see above).
  server.closeIdleConnections = closeIdle;

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
      const sweep = setInterval(closeIdle, IDLE_SWEEP_MS);
      const deadline = setTimeout(() => {
        clearInterval(sweep);
        server.closeAllConnections();
        resolve('deadline');
      }, hardDeadlineMs);
      // Stops accepting, and closes what is idle now (closeIdle above).
      server.close(() => {
        clearInterval(sweep);
        clearTimeout(deadline);
        resolve('drained');
      });
    });
    return drained;
  };

  return { server, port, drain, isDraining };
}
