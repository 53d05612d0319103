/**
 * What every request gets, on the Express path and the fast path alike: a
 * request id (the caller's X-Request-Id when it is a safe token) echoed back,
 * and one structured log line when the response is finished.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_LOGGED_PATH = 512;

export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** Logs the request when its response finishes; returns the request id. */
export function logRequest(req: IncomingMessage, res: ServerResponse, logger: Logger, id: string): void {
  if (!logger.isLevelEnabled('info')) return;
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const url = req.url ?? '';
    logger.info(
      {
        reqId: id,
        method: req.method,
        path: url.length > MAX_LOGGED_PATH ? `${url.slice(0, MAX_LOGGED_PATH)}…` : url,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
      },
      'request',
    );
  });
}
