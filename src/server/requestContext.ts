/**
 * What every request gets, on the Express path and the fast path alike: a
 * request id (the caller's X-Request-Id when it is a safe token) echoed back,
 * and one structured log line when the response is finished.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_LOGGED_PATH = 512;

export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** The path as logged: no query string (it may hold secrets), and bounded in length. */
export function loggedPath(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
}

/**
 * Logs the request when its response ends, finished or cut off by the client.
 * Returns a function that cancels the log line (when another handler takes over).
 */
const NOT_LOGGED = (): void => undefined;

export function logRequest(req: IncomingMessage, res: ServerResponse, logger: Logger, id: string): () => void {
  if (!logger.isLevelEnabled('info')) return NOT_LOGGED;
  const started = process.hrtime.bigint();
  const log = () => {
    logger.info(
      {
        reqId: id,
        method: req.method,
        path: loggedPath(req.url ?? ''),
        status: res.statusCode,
        durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e3) / 1e3,
        ...(res.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
  };
  res.once('close', log);
  return () => res.removeListener('close', log);
}
