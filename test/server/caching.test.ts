import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { negotiateEncoding } from '../../src/render/prepared.js';
import { appFor, rawGet, renderedBundledSite } from '../helpers/site.js';

let site: RenderedSite;
let app: ReturnType<typeof appFor>;
beforeAll(async () => {
  site = await renderedBundledSite();
  app = appFor(site);
});

describe('prepared page responses', () => {
  it('serves brotli, gzip or identity by Accept-Encoding, with Vary and distinct strong ETags', async () => {
    const plain = await rawGet(app, '/', { 'Accept-Encoding': 'identity' });
    const br = await rawGet(app, '/', { 'Accept-Encoding': 'gzip, deflate, br' });
    const gz = await rawGet(app, '/', { 'Accept-Encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    for (const r of [plain, br, gz]) {
      expect(r.headers.vary).toBe('Accept-Encoding');
      expect(r.headers['cache-control']).toBe('no-cache');
      expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
    }
    expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
  });

  it('answers 304 to If-None-Match with the ETag of the chosen encoding', async () => {
    const first = await request(app).get('/about/').set('Accept-Encoding', 'br');
    const again = await request(app)
      .get('/about/')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const weak = await request(app)
      .get('/about/')
      .set('Accept-Encoding', 'br')
      .set('If-None-Match', `W/${first.headers.etag!}`);
    expect(weak.status).toBe(304);
    const otherEncoding = await request(app)
      .get('/about/')
      .set('Accept-Encoding', 'gzip')
      .set('If-None-Match', first.headers.etag!);
    expect(otherEncoding.status).toBe(200);
  });

  it('renders a page once and serves the same bytes after', () => {
    expect(site.pages.get('/about/')).toBe(site.pages.get('/about/'));
  });
});

describe('fingerprinted assets', () => {
  it('serves every asset immutable for a year, compressed where it helps', async () => {
    for (const asset of site.assets.all) {
      const res = await request(app).get(asset.url).set('Accept-Encoding', 'br, gzip');
      expect(res.status, asset.url).toBe(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(asset.url).toMatch(/\.[\w-]{10}\.\w+$/);
      if (asset.response.compressible) expect(res.headers['content-encoding'], asset.url).toBe('br');
    }
  });

  it('references only fingerprinted assets from pages and the stylesheet', async () => {
    const html = (await request(app).get('/')).text;
    const refs = [...html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(3);
    for (const ref of refs) expect(site.assets.byUrl.has(ref), ref).toBe(true);
    const css = site.assets.all.find((a) => a.name === 'main.css')!.response.body.toString();
    for (const m of css.matchAll(/url\(([^)]+)\)/g)) expect(site.assets.byUrl.has(m[1]!), m[1]).toBe(true);
    expect(css).not.toContain('@font-face');
    expect(css).not.toContain('assets.nhs.uk');
  });

  it('answers an unknown asset with 404', async () => {
    expect((await request(app).get('/assets/main.0000000000.css')).status).toBe(404);
  });
});

describe('negotiateEncoding', () => {
  it.each([
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['gzip, br', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['*', 'br'],
    ['identity', 'identity'],
    ['gzip;q=0', 'identity'],
  ])('%s -> %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});
