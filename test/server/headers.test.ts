import http from 'node:http';
/**
 * Security headers on every kind of response: pages, assets, redirects,
 * errors (400, 404, 405, 413, 414, 500), checks, and whatever is added to
 * REPRESENTATIVE_REQUESTS. HSTS only over HTTPS, real or via a trusted proxy.
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { cspHash, INLINE_SCRIPTS } from '../../src/render/inlineScripts.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { createSiteHandler } from '../../src/server/handler.js';
import type { TrustProxy } from '../../src/config/config.js';
import { createLogger } from '../../src/logger.js';
import {
  brokenSite,
  pathOf,
  REPRESENTATIVE_REQUESTS,
  type RepresentativeRequest,
} from '../helpers/representativeRequests.js';
import { rawExchange } from '../helpers/rawHttp.js';
import { renderedBundledSite } from '../helpers/site.js';

let site: RenderedSite;
beforeAll(async () => {
  site = await renderedBundledSite();
});

function appFor(trustProxy: TrustProxy, broken = false) {
  return createSiteHandler({
    config: { trustProxy },
    site: broken ? brokenSite(site) : site,
    logger: createLogger('silent'),
  });
}

/** CSP directives by name; each value split into its sources. */
function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(directives.has(name), `directive ${name} given twice`).toBe(false);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

type Headers = Record<string, string | string[] | undefined>;

export function expectSecurityHeaders(headers: Headers, label: string, { hsts }: { hsts: boolean }): void {
  const csp = headers['content-security-policy'];
  expect(typeof csp, `${label}: Content-Security-Policy`).toBe('string');
  const d = parseCsp(csp as string);
  expect(d.get('default-src'), label).toEqual(["'none'"]);
  expect(d.get('script-src'), label).toEqual(["'self'", ...INLINE_SCRIPTS.map(cspHash)]);
  expect(d.get('style-src'), label).toEqual(["'self'"]);
  for (const name of ['img-src', 'font-src', 'connect-src', 'manifest-src', 'form-action']) {
    expect(d.get(name), `${label}: ${name}`).toEqual(["'self'"]);
  }
  expect(d.get('frame-ancestors'), label).toEqual(["'none'"]);
  expect(d.get('base-uri'), label).toEqual(["'none'"]);
  expect(d.get('object-src'), label).toEqual(["'none'"]);
  expect(csp, label).not.toMatch(/unsafe-|nonce-|\*|https?:|data:|blob:/);

  expect(headers['referrer-policy'], label).toMatch(
    /^(?:strict-origin-when-cross-origin|strict-origin|same-origin|no-referrer)$/,
  );
  expect(headers['x-content-type-options'], label).toBe('nosniff');
  expect(headers['cross-origin-resource-policy'], label).toBe('same-origin');
  expect(headers['cross-origin-opener-policy'], label).toBe('same-origin');
  expect(headers['x-frame-options'], label).toBe('DENY');
  const permissions = String(headers['permissions-policy']);
  for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'display-capture']) {
    expect(permissions, `${label}: Permissions-Policy ${feature}`).toContain(`${feature}=()`);
  }
  expect(permissions, label).not.toMatch(/=\((?!\))|\*/);
  expect(headers['x-powered-by'], label).toBeUndefined();
  expect(headers['x-request-id'], label).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
  if (hsts) expect(headers['strict-transport-security'], label).toBe('max-age=31536000; includeSubDomains');
  else expect(headers['strict-transport-security'], label).toBeUndefined();
}

async function send(
  app: ReturnType<typeof appFor>,
  r: RepresentativeRequest,
  extraHeaders: Record<string, string> = {},
) {
  const method = (r.method ?? 'GET').toLowerCase() as 'get' | 'head' | 'post' | 'put' | 'delete' | 'patch' | 'options';
  let test = request(app)[method](pathOf(r, site));
  for (const [k, v] of Object.entries({ ...r.headers, ...extraHeaders })) test = test.set(k, v);
  if (r.body !== undefined) test = test.send(r.body);
  return test;
}

describe('security headers on every kind of response', () => {
  it('covers every status the server gives', () => {
    const statuses = new Set(REPRESENTATIVE_REQUESTS.map((r) => r.status));
    for (const s of [200, 301, 304, 400, 404, 405, 413, 414, 500]) expect(statuses.has(s), String(s)).toBe(true);
  });

  for (const r of REPRESENTATIVE_REQUESTS) {
    it(`${r.name}: ${r.status}, over plain HTTP (no HSTS)`, async () => {
      const res = await send(appFor(false, r.broken), r);
      expect(res.status).toBe(r.status);
      expectSecurityHeaders(res.headers, r.name, { hsts: false });
    });

    it(`${r.name}: HSTS behind a trusted proxy that says https`, async () => {
      const res = await send(appFor(['loopback'], r.broken), r, { 'X-Forwarded-Proto': 'https' });
      expect(res.status).toBe(r.status);
      expectSecurityHeaders(res.headers, r.name, { hsts: true });
    });

    it(`${r.name}: no HSTS when an untrusted client says https`, async () => {
      const res = await send(appFor(false, r.broken), r, { 'X-Forwarded-Proto': 'https' });
      expect(res.status).toBe(r.status);
      expectSecurityHeaders(res.headers, r.name, { hsts: false });
    });
  }

  it('answers refused methods with Allow: GET, HEAD and refused bodies by closing the connection', async () => {
    for (const method of ['post', 'put', 'delete', 'patch', 'options'] as const) {
      const res = await request(appFor(false))[method]('/');
      expect(res.status, method).toBe(405);
      expect(res.headers.allow).toBe('GET, HEAD');
    }
    const withBody = await request(appFor(false)).get('/').set('Content-Type', 'text/plain').send('x'.repeat(1000));
    expect(withBody.status).toBe(413);
    expect(withBody.headers.connection).toBe('close');
    const server = http.createServer(appFor(false)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const chunked = await rawExchange((server.address() as AddressInfo).port, [
        'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n',
      ]);
      expect(chunked.status).toBe(413);
      expect(chunked.headers.connection).toBe('close');
      expect(chunked.closedByServer, 'the connection closes without waiting for the rest of the body').toBe(true);
      expect(chunked.elapsedMs).toBeLessThan(2000);
    } finally {
      server.close();
    }
    const postWithBody = await request(appFor(false)).post('/').send({ a: 1 });
    expect(postWithBody.status).toBe(405);
    expect(postWithBody.headers.connection).toBe('close');
  });

  it('serves the site’s 500 page without internals when a page lookup throws', async () => {
    const res = await request(appFor(false, true)).get('/about/');
    expect(res.status).toBe(500);
    expect(res.text).toBe(site.serverError.body.toString('utf8'));
    expect(res.text).not.toMatch(/simulated failure|at .*\.(?:js|ts):\d+/);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('drops the headers a route set before it failed', async () => {
    // A sitemap whose bytes cannot be read once the response is under way.
    const failingSitemap = Object.create(site.sitemap, {
      bytes: {
        value() {
          throw new Error('simulated read failure');
        },
      },
    }) as RenderedSite['sitemap'];
    const app = createSiteHandler({
      config: { trustProxy: false },
      site: Object.create(site, { sitemap: { value: failingSitemap } }) as RenderedSite,
      logger: createLogger('silent'),
    });
    const res = await request(app).get('/sitemap.xml');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers.etag).toBeUndefined();
    expect(res.text).toBe(site.serverError.body.toString('utf8'));
    expectSecurityHeaders(res.headers, 'failed route', { hsts: false });
  });

  it('still answers 500 with every security header when the site itself cannot be had', async () => {
    const app = createSiteHandler({
      config: { trustProxy: false },
      site: () => {
        throw new Error('no site loaded');
      },
      logger: createLogger('silent'),
    });
    const res = await request(app).get('/');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('no site loaded');
    expectSecurityHeaders(res.headers, 'site unavailable', { hsts: false });
  });
});

describe('over real TLS', () => {
  let server: https.Server;
  let port: number;
  const tls = path.join(PROJECT_ROOT, 'test', 'fixtures', 'tls');
  const ca = readFileSync(path.join(tls, 'localhost-test-only.crt'));

  beforeAll(async () => {
    server = https.createServer(
      { key: readFileSync(path.join(tls, 'localhost-test-only.key')), cert: ca },
      appFor(false),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const r of REPRESENTATIVE_REQUESTS.filter((x) => !x.broken && x.body === undefined)) {
    it(`${r.name}: sends HSTS over HTTPS`, async () => {
      const { status, headers } = await new Promise<{ status: number; headers: Headers }>((resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port,
            servername: 'localhost',
            ca,
            method: r.method ?? 'GET',
            path: pathOf(r, site),
            headers: r.headers,
            agent: false,
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(r.status);
      expectSecurityHeaders(headers, r.name, { hsts: true });
    });
  }
});
