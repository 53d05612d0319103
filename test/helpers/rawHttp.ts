/** Raw HTTP over a TCP socket, for requests no well-behaved client would send. */
import net from 'node:net';

export interface RawResponse {
  /** Status of the first response, or null when the server closed without answering. */
  status: number | null;
  /** Head of the first response, lower-cased header names. */
  headers: Record<string, string>;
  /** Everything the server sent. */
  raw: string;
  /** Milliseconds from connect to the server closing the connection (or the timeout). */
  elapsedMs: number;
  /** True when the server closed the connection; false when the timeout cut it. */
  closedByServer: boolean;
}

/**
 * Writes `chunks` (with `gapMs` between them) and collects everything until
 * the server closes or `timeoutMs` passes.
 */
export function rawExchange(
  port: number,
  chunks: (string | Buffer)[],
  options: { gapMs?: number; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const { gapMs = 0, timeoutMs = 5000 } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let closedByServer = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      const raw = Buffer.concat(received).toString('latin1');
      resolve({ ...parseHead(raw), raw, elapsedMs: Date.now() - started, closedByServer });
    };
    socket.on('data', (d) => received.push(d));
    socket.on('end', () => {
      closedByServer = true;
      finish();
    });
    socket.on('close', () => {
      closedByServer = true;
      finish();
    });
    socket.on('error', () => {
      closedByServer = true;
      finish();
    });
    socket.on('connect', () => {
      chunks.forEach((chunk, i) => {
        timers.push(
          setTimeout(() => {
            if (!socket.destroyed && socket.writable) socket.write(chunk);
          }, i * gapMs),
        );
      });
    });
    timers.push(setTimeout(finish, timeoutMs));
  });
}

export function parseHead(raw: string): { status: number | null; headers: Record<string, string> } {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine, ...lines] = head.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: match ? Number(match[1]) : null, headers };
}

/** Every status line in a stream of responses (pipelined requests). */
export function statusesIn(raw: string): number[] {
  return [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

/** Splits a stream of responses with Content-Length bodies; the last one may be cut short (complete: false). */
export function splitResponses(
  raw: string,
): { status: number; headers: Record<string, string>; body: string; complete: boolean }[] {
  const out: { status: number; headers: Record<string, string>; body: string; complete: boolean }[] = [];
  let rest = raw;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    const { status, headers } = parseHead(rest.slice(0, end));
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(end + 4, end + 4 + length);
    out.push({ status: status ?? 0, headers, body, complete: body.length === length });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}
