/**
 * Requests Node refuses by itself (unparseable, headers too large, too slow)
 * are answered with the security headers every other response carries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteHandler } from '../../src/server/handler.js';
import { listen, type RunningServer } from '../../src/server/httpServer.js';
import { createLogger } from '../../src/logger.js';
import { rawExchange } from '../helpers/rawHttp.js';
import { renderedBundledSite } from '../helpers/site.js';

let running: RunningServer;
beforeAll(async () => {
  const site = await renderedBundledSite();
  running = await listen(
    () => createSiteHandler({ config: { trustProxy: false }, site, logger: createLogger('silent') }),
    {
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 500,
      connectionsCheckingIntervalMs: 100,
      port: 0,
      host: '127.0.0.1',
    },
  );
});
afterAll(() => running.drain(500));

function expectOurHeaders(headers: Record<string, string>, label: string): void {
  expect(headers['content-security-policy'], label).toMatch(/^default-src 'none';.*frame-ancestors 'none'/);
  expect(headers['x-frame-options'], label).toBe('DENY');
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['referrer-policy'], label).toBe('strict-origin-when-cross-origin');
  expect(headers['cross-origin-resource-policy'], label).toBe('same-origin');
  expect(headers['permissions-policy'], label).toContain('camera=()');
  expect(headers['x-request-id'], label).toMatch(/^[0-9a-f-]{36}$/);
  expect(headers['cache-control'], label).toBe('no-store');
  expect(headers['content-type'], label).toBe('text/plain; charset=utf-8');
  expect(headers.connection, label).toBe('close');
  expect(headers['strict-transport-security'], label).toBeUndefined();
}

describe('requests Node refuses before any handler', () => {
  for (const [label, chunks, status] of [
    ['an unparseable request line', ['GARBAGE\r\n\r\n'], 400],
    ['a bad header', ['GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n'], 400],
    [
      'a smuggling attempt (Content-Length and chunked)',
      ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
      400,
    ],
    ['headers over the size limit', [`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`], 431],
    ['headers that never end', ['GET / HTTP/1.1\r\nHost: x\r\n'], 408],
  ] as const) {
    it(`answers ${label} with ${status}, our headers, and closes`, async () => {
      const res = await rawExchange(running.port, [...chunks], { timeoutMs: 5000 });
      expect(res.status, res.raw.slice(0, 200)).toBe(status);
      expectOurHeaders(res.headers, label);
      expect(res.closedByServer).toBe(true);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.raw.split('\r\n\r\n')[1]!));
    });
  }
});
