/**
 * Thousands of generated hostile requests against a real listening server,
 * over raw sockets so that nothing is cleaned up by a client library:
 * random paths and percent-encodings, overlong paths and headers, odd
 * methods, malformed Range and conditional headers, bodies where none
 * belong. No answer may be a 5xx, none may hang, and the server must still
 * serve pages afterwards. Seeded, so a failure can be replayed.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { listen, type RunningServer } from '../../src/server/httpServer.js';
import { createLogger } from '../../src/logger.js';
import { renderedBundledSite } from '../helpers/site.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const REQUESTS = 5000;
const CONCURRENCY = 32;
const PER_REQUEST_TIMEOUT_MS = 5000;

/** mulberry32: small, fast, good enough to spread cases. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  const chars = (alphabet: string, min: number, max: number) =>
    Array.from({ length: min + int(max - min + 1) }, () => alphabet[int(alphabet.length)]).join('');
  return { int, pick, chance, chars };
}

type Rng = ReturnType<typeof random>;

const TOKEN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~';
const NASTY = `${TOKEN}%/\\?#[]@!$&'()*+,;=:" <>{}|^\`\t\u0000\u0001\u007f\u00e9\u00ff`;

/**
 * Characters a client may send raw in a request line (anything else is refused by Node's parser before the app sees
 * it).
 */
const LINE_SAFE = `${TOKEN}%/?@!$&'()*+,;=:`;

function generatePath(r: Rng, knownPaths: readonly string[], wellFormed: boolean): string {
  // Non-canonical forms of real pages, with a query string: redirects.
  if (wellFormed && r.chance(0.08))
    return `${r.pick(knownPaths).replace(/(.)\/$/, '$1')}${r.chance(0.5) ? `?${r.chars(LINE_SAFE, 0, 50)}` : ''}`;
  const base = r.chance(0.5) ? r.pick(knownPaths) : `/${r.chars(TOKEN, 0, 20)}`;
  const mutations = wellFormed && r.chance(0.3) ? 0 : 1 + r.int(3);
  let p = base;
  if (r.chance(0.15)) p = p.replace(/\/$/, '');
  for (let i = 0; i < mutations; i++) {
    switch (r.int(15)) {
      case 0:
        p += `%${r.chars('0123456789abcdefABCDEFgGzZ', 0, 2)}`;
        break;
      case 1:
        p += r.pick([
          '%2e%2e/',
          '%2E%2E%2F',
          '..%2f',
          '%252e%252e/',
          '%c0%ae%c0%ae/',
          '%e0%80%ae',
          '%ef%bc%8f',
          '%00',
          '%0d%0a',
          '%u002e',
        ]);
        break;
      case 2:
        p += r.pick(['/../', '/./', '//', '\\..\\', '/..;/', '/.%00./', '/.../']);
        break;
      case 3:
        p = `/${'x'.repeat(r.int(12_000))}`;
        break;
      case 4:
        p += `/${r.chars(wellFormed ? LINE_SAFE : NASTY, 1, 30)}`;
        break;
      case 5:
        p += `?${r.chars(wellFormed ? LINE_SAFE : NASTY, 0, 200)}`;
        break;
      case 6:
        p += `#${r.chars(TOKEN, 0, 10)}`;
        break;
      case 7:
        p = r.pick([
          '*',
          wellFormed ? '/' : '',
          'http://evil.example/',
          'https://127.0.0.1/about/',
          '//evil.example/',
          'about/',
          '?',
          '/?'.repeat(500),
        ]);
        break;
      case 8:
        p += encodeURIComponent(r.chars(NASTY, 1, 10));
        break;
      case 9:
        p = p.toUpperCase();
        break;
      case 10:
        p += '/'.repeat(r.int(300));
        break;
      case 11:
        p += r.pick([
          '/index.md',
          '/.git/config',
          '/package.json',
          '/../../etc/passwd',
          '/assets/../src/cli/start.ts',
          '/%2e%2e/content/site.yml',
        ]);
        break;
      case 12:
        p = p.replace(/\/$/, '');
        break;
      // Hostile searches: odd and overlong queries, repeated and bracketed parameters, odd page numbers.
      case 13:
        {
          const name = r.pick(['q', 'q[]', 'q[a]', 'Q', 'q%00', 'page']);
          const value = wellFormed ? r.chars(LINE_SAFE, 0, r.pick([20, 300, 9000])) : r.chars(NASTY, 0, 300);
          const pages = ['2', '-1', '1e9', '99999999999999999999', 'NaN', '%00', r.chars(LINE_SAFE, 0, 20)];
          const page = r.chance(0.5) ? `&page=${r.pick(pages)}` : '';
          p = `/search${r.chance(0.8) ? '/' : ''}?${name}=${value}${page}${r.chance(0.2) ? '&q=again' : ''}`;
        }
        break;
      default:
        p += `;${r.chars(TOKEN, 0, 10)}`;
    }
  }
  return wellFormed ? p.replace(/ /g, '%20') : p;
}

const METHODS = [
  'GET',
  'GET',
  'GET',
  'GET',
  'GET',
  'GET',
  'HEAD',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'MKCOL',
  'PURGE',
  'LINK',
  'SEARCH',
  'QUERY',
  'get',
  'Get',
  'FOO',
  'G\u00e9T',
  'GET GET',
  '',
];

function generateHeaders(r: Rng, wellFormed: boolean): string[] {
  const headers: string[] = [];
  const add = (name: string, value: string) => headers.push(`${name}: ${value}`);
  if (wellFormed || r.chance(0.8))
    add('Host', r.pick(['localhost', '127.0.0.1', 'evil.example', 'a'.repeat(300), 'localhost:99999']));
  if (r.chance(0.3))
    add(
      'Range',
      r.pick([
        'bytes=0-',
        'bytes=-5',
        'bytes=5-1',
        'bytes=0-1,2-3,4-5',
        'bytes=abc',
        'items=0-1',
        'bytes=99999999999999999999-',
        'bytes=',
        'bytes=-',
        `bytes=${'0-1,'.repeat(500)}0-1`,
        'bytes=0-0, -1',
        'bytes = 1-2',
      ]),
    );
  if (r.chance(0.3))
    add(
      'If-None-Match',
      r.pick(['*', 'W/"x"', '"abc"', 'garbage', '"', '""', `${'"a",'.repeat(1000)}"b"`, 'W/', ', , ,', '*, "x"']),
    );
  if (r.chance(0.2))
    add(
      'If-Modified-Since',
      r.pick([
        'Wed, 21 Oct 2015 07:28:00 GMT',
        'yesterday',
        '',
        '0',
        '99999999999999999999',
        'Thu, 01 Jan 1970 00:00:00 GMT',
        'Fri, 31 Dec 9999 23:59:59 GMT',
      ]),
    );
  if (r.chance(0.1)) add('If-Match', r.pick(['*', '"x"', 'W/"x"', 'junk']));
  if (r.chance(0.1)) add('If-Unmodified-Since', r.pick(['Wed, 21 Oct 2015 07:28:00 GMT', 'never']));
  if (r.chance(0.1)) add('If-Range', r.pick(['"x"', 'W/"x"', 'Wed, 21 Oct 2015 07:28:00 GMT', 'nonsense']));
  if (r.chance(0.2)) add('Accept-Encoding', r.pick(['gzip', 'br, gzip;q=0.5', '*', 'identity;q=0', 'x'.repeat(1000)]));
  if (r.chance(0.2)) add('Accept', r.pick(['text/html', '*/*', 'application/json', '', 'a/b;q=abc']));
  if (r.chance(0.2)) add('X-Forwarded-Proto', r.pick(['https', 'http', 'gopher', 'https, http', '']));
  if (r.chance(0.1)) add('X-Forwarded-For', r.pick(['1.2.3.4', 'unknown', '::1, 10.0.0.1', 'x'.repeat(500)]));
  if (r.chance(0.2)) add('X-Request-Id', r.pick(['abc', 'a b', '<script>', 'x'.repeat(100), '']));
  if (r.chance(0.1)) add('Cookie', `session=${r.chars(TOKEN, 0, 100)}`);
  if (r.chance(0.05)) add('X-Big', 'v'.repeat(r.pick([1000, 8000, 17_000, 40_000])));
  if (r.chance(0.03)) for (let i = 0; i < 150; i++) add(`X-Many-${i}`, 'v');
  if (!wellFormed && r.chance(0.2)) add(r.chars(NASTY, 1, 10), r.chars(NASTY, 0, 20));
  if (!wellFormed && r.chance(0.2)) headers.push(r.pick([' folded', 'NoColonHere', ': no-name', 'Bad Name: x']));
  return headers;
}

/**
 * Most requests are well-formed HTTP carrying hostile values, so that they
 * reach the application; the rest break the protocol itself.
 */
function generateRequest(r: Rng, knownPaths: readonly string[]): Buffer {
  const wellFormed = r.chance(0.7);
  const method = wellFormed
    ? r.chance(0.8)
      ? r.pick(['GET', 'GET', 'GET', 'HEAD'])
      : r.pick(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND', 'PURGE', 'SEARCH'])
    : r.pick(METHODS);
  const version = wellFormed
    ? r.pick(['HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0'])
    : r.pick(['HTTP/1.1', 'HTTP/2.0', 'HTTP/1.1 extra', 'http/1.1', '', 'HTTP/0.9', 'HTTP/1.10']);
  const headers = generateHeaders(r, wellFormed);
  let body = '';
  switch (r.int(wellFormed ? 12 : 6)) {
    case 0: {
      body = r.chars(NASTY, 0, 100);
      const length = r.chance(0.8)
        ? Buffer.byteLength(body, 'latin1')
        : r.pick(['-1', 'abc', '9'.repeat(20), '0', '1, 2']);
      headers.push(`Content-Length: ${length}`);
      break;
    }
    case 1:
      headers.push(
        `Transfer-Encoding: ${r.pick(['chunked', 'gzip, chunked', 'identity', 'chunked, chunked', 'xchunked'])}`,
      );
      body = r.pick(['0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\n', 'ffffffffffffffff\r\n']);
      break;
    case 2:
      headers.push('Content-Length: 5', 'Transfer-Encoding: chunked');
      body = '0\r\n\r\n';
      break;
    default:
  }
  headers.push('Connection: close');
  const line = `${method} ${generatePath(r, knownPaths, wellFormed)} ${version}`.replace(/ +$/, '');
  return Buffer.from(`${line}\r\n${headers.join('\r\n')}\r\n\r\n${body}`, 'latin1');
}

interface Result {
  /** Status of the answer; null when the server closed without one; 'hang' when it never answered. */
  status: number | null | 'hang';
  /** True when the application answered (it adds X-Request-Id), false when Node's parser refused first. */
  reachedApp: boolean;
}

function exchange(port: number, bytes: Buffer): Promise<Result> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let head = '';
    let done = false;
    const finish = (hung = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: hung ? 'hang' : m ? Number(m[1]) : null, reachedApp: /\r\nx-request-id:/i.test(head) });
    };
    const timer = setTimeout(() => finish(true), PER_REQUEST_TIMEOUT_MS);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1', 0, Math.min(d.length, 4096));
      if (head.includes('\r\n\r\n') || head.length >= 4096) finish();
    });
    socket.on('close', () => finish());
    socket.on('error', () => undefined);
  });
}

let site: RenderedSite;
let running: RunningServer;
beforeAll(async () => {
  site = await renderedBundledSite();
  // Logs at info level go nowhere, so the logging code runs for every request.
  const sink = new Writable({ write: (_c, _e, done) => done() });
  running = await listen(
    (isDraining) =>
      createSiteHandler({ config: { trustProxy: ['loopback'] }, site, logger: createLogger('info', sink), isDraining }),
    {
      port: 0,
      host: '127.0.0.1',
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      keepAliveTimeoutMs: 1000,
      connectionsCheckingIntervalMs: 250,
    },
  );
});
afterAll(() => running.drain(2000));

describe('fuzzing the live server', () => {
  it(
    `answers ${REQUESTS} generated hostile requests without a 5xx or a hang, ` + `and stays up (seed ${SEED})`,
    async () => {
      const r = random(SEED);
      const knownPaths = [
        ...site.pages.keys(),
        ...site.assets.all.map((a) => a.url),
        '/sitemap.xml',
        '/robots.txt',
        '/favicon.ico',
        '/healthz',
        '/readyz',
      ];
      const requests = Array.from({ length: REQUESTS }, () => generateRequest(r, knownPaths));
      const results: Result[] = new Array(REQUESTS);
      let nextIndex = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (nextIndex < REQUESTS) {
            const i = nextIndex++;
            results[i] = await exchange(running.port, requests[i]!);
          }
        }),
      );
      const elapsed = Date.now() - started;

      const byStatus = new Map<string, number>();
      for (const { status } of results) byStatus.set(String(status), (byStatus.get(String(status)) ?? 0) + 1);
      const reachedApp = results.filter((x) => x.reachedApp).length;
      const summary = `${[...byStatus]
        .sort()
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}; ${reachedApp} answered by the app`;
      const failures = results
        .map(({ status }, i) => [status, i] as const)
        .filter(([s]) => s === 'hang' || (typeof s === 'number' && s >= 500));
      expect(
        failures.map(([s, i]) => `${s} for ${JSON.stringify(requests[i]!.toString('latin1').slice(0, 300))}`),
        `statuses: ${summary}`,
      ).toEqual([]);
      // The mix really exercised the server: pages, refusals and parser errors all occur.
      for (const status of ['200', '301', '400', '404', '405', '413', '414'])
        expect(byStatus.get(status) ?? 0, `${status} in ${summary}`).toBeGreaterThan(20);
      expect(reachedApp, summary).toBeGreaterThan(REQUESTS / 2);
      console.info(`fuzz: ${REQUESTS} requests in ${elapsed} ms; ${summary}`);
      expect(elapsed).toBeLessThan(30_000);

      // Still alive and well.
      const home = await fetch(`http://127.0.0.1:${running.port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('</html>');
      expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
      expect(running.server.listening).toBe(true);
    },
  );
});
