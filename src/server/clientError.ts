/**
 * The answers Node gives by itself, before any handler sees a request: 400
 * for a request it cannot parse, 431 for headers too large, 408 when the
 * headers or request are not complete in time. Node writes these bare; here
 * they carry the same security headers as every other response (HSTS aside:
 * with no request parsed, a trusted proxy's word cannot be read), and the
 * connection closes behind them.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { createSecurityHeaders, type SecurityHeaders } from './securityHeaders.js';

const STATUS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
};
const BAD_REQUEST: [number, string] = [400, 'Bad Request'];

/** The whole response, as bytes for the socket. */
export function clientErrorResponse(
  code: string | undefined,
  secure: boolean,
  securityHeaders: SecurityHeaders,
): string {
  const [status, reason] = (code && STATUS[code]) || BAD_REQUEST;
  const body = `${reason}\n`;
  const headers: (readonly [string, string])[] = [
    ['Date', new Date().toUTCString()],
    ['X-Request-Id', randomUUID()],
    ...securityHeaders.list(secure),
    ['Cache-Control', 'no-store'],
    ['Content-Type', 'text/plain; charset=utf-8'],
    ['Content-Length', String(Buffer.byteLength(body))],
    ['Connection', 'close'],
  ];
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${reason}\r\n${lines}\r\n${body}`;
}

export function answerClientErrors(server: Server, securityHeaders: SecurityHeaders = createSecurityHeaders()): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // Node's own rule: answer only if the client can still hear it and no
    // response of ours has begun on this connection (one would be corrupted).
    const inProgress = (socket as { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inProgress?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error.code, Boolean((socket as TLSSocket).encrypted), securityHeaders));
    // A client that does not read the answer is not waited for.
    setTimeout(() => socket.destroy(), 1000).unref();
  });
}
