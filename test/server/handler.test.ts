import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { PreparedResponse } from '../../src/render/prepared.js';
import { HTML, type RenderedSite } from '../../src/render/renderedSite.js';
import { createApp } from '../../src/server/app.js';
import { createSiteHandler, isEditorPath } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';
import { rawGet, renderedBundledSite } from '../helpers/site.js';

let site: RenderedSite;
beforeAll(async () => {
  site = await renderedBundledSite();
});

const make = (trustProxy: boolean) => {
  const options = { config: { trustProxy }, site, logger: createLogger('silent') };
  return { express: createApp(options), fast: createSiteHandler(options) };
};

/** Headers that must match, minus the ones that differ by nature (date, request id). */
function comparable(headers: Record<string, unknown>) {
  const { date, 'x-request-id': _id, connection, 'keep-alive': _ka, ...rest } = headers;
  void date;
  void connection;
  return rest;
}

describe('fast path', () => {
  const cases: [string, Record<string, string>][] = [
    ['/', {}],
    ['/', { 'Accept-Encoding': 'gzip, br' }],
    ['/about/', { 'Accept-Encoding': 'gzip' }],
    ['/sitemap.xml', {}],
    ['/robots.txt', {}],
    ['/favicon.ico', {}],
  ];
  for (const [url, headers] of cases) {
    it(`sends exactly what the Express app sends for ${url} ${JSON.stringify(headers)}`, async () => {
      const { express, fast } = make(false);
      const a = await rawGet(express, url, headers);
      const b = await rawGet(fast, url, headers);
      expect(b.status).toBe(a.status);
      expect(comparable(b.headers)).toEqual(comparable(a.headers));
      expect(b.body.equals(a.body)).toBe(true);
    });
  }

  it('sends exactly what the Express app sends for every asset', async () => {
    const { express, fast } = make(false);
    for (const asset of site.assets.all) {
      const a = await rawGet(express, asset.url, { 'Accept-Encoding': 'br' });
      const b = await rawGet(fast, asset.url, { 'Accept-Encoding': 'br' });
      expect(comparable(b.headers), asset.url).toEqual(comparable(a.headers));
      expect(b.body.equals(a.body)).toBe(true);
    }
  });

  it('answers conditional requests and HEAD like the Express app', async () => {
    const { fast } = make(false);
    const first = await request(fast).get('/about/').set('Accept-Encoding', 'gzip, deflate');
    const again = await request(fast).get('/about/').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.headers['content-security-policy']).toContain("default-src 'none'");
    const head = await request(fast).head('/about/').set('Accept-Encoding', 'gzip, deflate');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('sends HSTS behind a trusted proxy that says HTTPS, as Express does', async () => {
    const trusted = make(true).fast;
    const untrusted = make(false).fast;
    const viaProxy = await request(trusted).get('/').set('X-Forwarded-Proto', 'https');
    expect(viaProxy.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const spoofed = await request(untrusted).get('/').set('X-Forwarded-Proto', 'https');
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
  });

  it('leaves everything else to the Express app', async () => {
    const { fast } = make(false);
    expect((await request(fast).get('/about')).status).toBe(301);
    expect((await request(fast).get('/nope/')).status).toBe(404);
    expect((await request(fast).post('/')).status).toBe(405);
    expect((await request(fast).get('/%')).status).toBe(400);
    expect((await request(fast).get('/about/?q=1')).status).toBe(200);
  });

  it(
    'answers only anonymous public reads: a cookie, Authorization or an ' + 'editor address go through the Express app',
    async () => {
      // A handler mounted in the Express app sees exactly the requests the fast path declined.
      const seen: string[] = [];
      const fast = createSiteHandler({
        config: { trustProxy: false },
        site,
        logger: createLogger('silent'),
        before: [
          (req, _res, next) => {
            const credentials = `${req.headers.cookie ? 'cookie' : ''}${req.headers.authorization ? 'auth' : ''}`;
            seen.push(`${req.method} ${req.url} ${credentials}`.trim());
            next();
          },
        ],
      });
      const plain = await request(fast).get('/about/');
      expect(plain.status).toBe(200);
      expect(seen).toEqual([]);

      const withCookie = await request(fast).get('/about/').set('Cookie', '__Host-session=abc');
      const withAuth = await request(fast).get('/about/').set('Authorization', 'Basic eDp5');
      await request(fast).get('/edit/');
      await request(fast).get('/edit');
      await request(fast).get('/edit?next=/');
      expect(seen).toEqual(['GET /about/ cookie', 'GET /about/ auth', 'GET /edit/', 'GET /edit', 'GET /edit?next=/']);
      // The page itself is the same either way.
      expect(withCookie.status).toBe(200);
      expect(withCookie.text).toBe(plain.text);
      expect(withAuth.headers['content-security-policy']).toBe(plain.headers['content-security-policy']);
    },
  );

  it('answers 500 when a page that came from a worker thread cannot be sent, on either path', async () => {
    // Bytes that fail only when sent: the gzip variant inflated for a client that accepts no encoding.
    const broken = PreparedResponse.precompressed(HTML, {
      etag: '"broken"',
      gzip: Buffer.from('not gzip at all'),
      br: Buffer.from('not brotli'),
    });
    const pages = Object.create(site.pages, {
      whenReady: { value: (url: string) => (url === '/about/' ? Promise.resolve(broken) : site.pages.whenReady(url)) },
    }) as RenderedSite['pages'];
    const options = { config: { trustProxy: false }, site: { ...site, pages }, logger: createLogger('silent') };
    for (const handler of [createSiteHandler(options), createApp(options)]) {
      const res = await request(handler).get('/about/').set('Accept-Encoding', 'identity');
      expect(res.status).toBe(500);
      expect((await request(handler).get('/').set('Accept-Encoding', 'identity')).status).toBe(200);
    }
  });

  it("knows the editor's addresses, and no other", () => {
    for (const url of ['/edit', '/edit/', '/edit/pages/x', '/edit?x=1']) expect(isEditorPath(url), url).toBe(true);
    for (const url of ['/', '/editor/', '/edits', '/about/edit/', '/editing?x'])
      expect(isEditorPath(url), url).toBe(false);
  });
});
