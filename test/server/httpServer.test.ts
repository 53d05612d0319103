/**
 * The HTTP server's own defences, with real sockets against a real server
 * configured with short timeouts: slow and silent clients are dropped with
 * 408 within the configured bound.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { createHttpServer, listen, type RunningServer, type ServerTimeouts } from '../../src/server/httpServer.js';
import { createLogger } from '../../src/logger.js';
import { rawExchange } from '../helpers/rawHttp.js';
import { minimalFiles, page, renderedBundledSite, renderedFromFiles } from '../helpers/site.js';

const TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 1500,
  requestTimeoutMs: 3000,
  keepAliveTimeoutMs: 1000,
  connectionsCheckingIntervalMs: 200,
};
/** The latest a stalled request may be dropped: the headers timeout plus one check interval, plus scheduling slack. */
const BOUND_MS = TIMEOUTS.headersTimeoutMs + TIMEOUTS.connectionsCheckingIntervalMs + 400;

let site: RenderedSite;
let running: RunningServer;
beforeAll(async () => {
  site = await renderedBundledSite();
  running = await listen(
    (isDraining) =>
      createSiteHandler({ config: { trustProxy: false }, site, logger: createLogger('silent'), isDraining }),
    { ...TIMEOUTS, port: 0, host: '127.0.0.1' },
  );
});
afterAll(() => running.drain(1000));

describe('timeouts', () => {
  it('sets every timeout explicitly from the configuration', () => {
    const server = createHttpServer(() => undefined, TIMEOUTS);
    expect(server.headersTimeout).toBe(1500);
    expect(server.requestTimeout).toBe(3000);
    expect(server.keepAliveTimeout).toBe(1000);
    expect((server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval).toBe(200);
    expect(server.timeout).toBe(3000);
  });

  it('drops a slowloris client that trickles one header line a second with 408, within the bound', async () => {
    const lines = [
      'GET / HTTP/1.1\r\n',
      'Host: localhost\r\n',
      ...Array.from({ length: 8 }, (_, i) => `X-Slow-${i}: ${'a'.repeat(20)}\r\n`),
    ];
    const res = await rawExchange(running.port, lines, { gapMs: 1000, timeoutMs: 10_000 });
    expect(res.status).toBe(408);
    expect(res.closedByServer).toBe(true);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.headersTimeoutMs - 50);
    expect(res.elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('drops a client that connects and sends nothing, within the same bound', async () => {
    const res = await rawExchange(running.port, [], { timeoutMs: 10_000 });
    expect(res.status).toBe(408);
    expect(res.elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('drops a client that stops in the middle of the request line', async () => {
    const res = await rawExchange(running.port, ['GET /abo'], { timeoutMs: 10_000 });
    expect(res.status).toBe(408);
    expect(res.elapsedMs).toBeLessThan(BOUND_MS);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const res = await rawExchange(running.port, ['GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n'], {
      timeoutMs: 10_000,
    });
    expect(res.status).toBe(200);
    expect(res.closedByServer).toBe(true);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.keepAliveTimeoutMs - 50);
    // Node adds up to a second of its own to the keep-alive timeout.
    expect(res.elapsedMs).toBeLessThan(TIMEOUTS.keepAliveTimeoutMs + 2500);
  });

  it('still serves normal requests while slow clients wait', async () => {
    const slow = rawExchange(running.port, ['GET / HTTP/1.1\r\n'], { timeoutMs: 10_000 });
    const fast = await fetch(`http://127.0.0.1:${running.port}/about/`);
    expect(fast.status).toBe(200);
    expect((await slow).status).toBe(408);
  });
});

describe('a client that stops reading its response', () => {
  const timeouts: ServerTimeouts = {
    headersTimeoutMs: 1000,
    requestTimeoutMs: 1000,
    keepAliveTimeoutMs: 500,
    connectionsCheckingIntervalMs: 100,
  };
  let big: RunningServer;
  beforeAll(async () => {
    // 24 MB: more than the socket buffers on both sides hold, so the response cannot finish.
    const csv = `a,b\n${'1,2\n'.repeat(6_000_000)}`;
    const site = renderedFromFiles(
      minimalFiles({
        'documents/index.md': page('title: Documents\ndescription: D.'),
        'documents/big/index.md': page(
          'title: Big\ndescription: D.\nsummary: S.\ncategory: C\npublished: 2026-01-01\nfiles:\n  - file: big.csv',
        ),
        'documents/big/big.csv': csv,
      }),
    );
    big = await listen(
      () => createSiteHandler({ config: { trustProxy: false }, site, logger: createLogger('silent') }),
      { ...timeouts, port: 0, host: '127.0.0.1' },
    );
  });
  afterAll(() => big.drain(500));

  it('is cut off once its response has made no progress for the request timeout', async () => {
    const started = Date.now();
    const closed = new Promise<number>((resolve) =>
      big.server.once('connection', (socket) => socket.once('close', () => resolve(Date.now() - started))),
    );
    const client = net.connect(big.port, '127.0.0.1', () =>
      client.write('GET /documents/big/big.csv HTTP/1.1\r\nHost: localhost\r\n\r\n'),
    );
    client.pause();
    try {
      const elapsed = await closed;
      expect(elapsed).toBeGreaterThanOrEqual(timeouts.requestTimeoutMs / 2 - 50);
      expect(elapsed).toBeLessThan(timeouts.requestTimeoutMs + 400);
    } finally {
      client.destroy();
    }
  });
});
