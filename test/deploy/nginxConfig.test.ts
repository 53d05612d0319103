import type { IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSite } from '../../src/deploy/exportSite.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { nginxServerBlock } from '../../src/deploy/nginxConfig.js';
import { createSecurityHeaders } from '../../src/server/securityHeaders.js';
import { nginxInstalled, startNginx, type RunningNginx } from '../helpers/nginx.js';
import { appFor, rawGet, renderedBundledSite } from '../helpers/site.js';

describe('nginx configuration', () => {
  it('repeats every security header in every location', () => {
    const block = nginxServerBlock({ root: '/srv/_site', listen: '443 ssl', tls: true });
    const headers = createSecurityHeaders().list(true);
    expect(headers.map(([n]) => n)).toEqual(
      expect.arrayContaining([
        'Content-Security-Policy',
        'Strict-Transport-Security',
        'Permissions-Policy',
        'Referrer-Policy',
      ]),
    );
    for (const [name] of headers) expect(block.match(new RegExp(`add_header ${name} `, 'g'))).toHaveLength(5);
  });

  it('gives document files their download headers whatever the case of the extension', () => {
    expect(nginxServerBlock({ root: '/srv/_site', listen: '80', tls: false })).toContain(
      'location ~* ^/documents/[^/]+/[^/]+\\.(?:csv|pdf|ods|xlsx)$ {',
    );
  });

  it('sends HSTS only when served over TLS', () => {
    expect(
      createSecurityHeaders()
        .list(false)
        .some(([n]) => n === 'Strict-Transport-Security'),
    ).toBe(false);
    expect(nginxServerBlock({ root: '/x', listen: '80', tls: false })).not.toContain('Strict-Transport-Security');
  });
});

const STATIC_HEADERS = [
  'content-security-policy',
  'permissions-policy',
  'referrer-policy',
  'x-content-type-options',
  'x-frame-options',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'cache-control',
];

describe.skipIf(!nginxInstalled())('nginx serving the export (Debian nginx)', () => {
  let site: RenderedSite;
  let tmp: string;
  let nginx: RunningNginx;
  beforeAll(async () => {
    site = await renderedBundledSite();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'nginx-'));
    await exportSite(site, path.join(tmp, '_site'), { precompress: true });
    nginx = await startNginx(path.join(tmp, '_site'), path.join(tmp, 'nginx'));
  });
  afterAll(async () => {
    await nginx?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('answers pages, assets, sitemap and 404 with the app’s bytes, security headers and caching rules', async () => {
    const app = appFor(site);
    const urls = [
      '/',
      '/about/',
      '/work-streams/key-performance-indicators/',
      '/sitemap.xml',
      '/robots.txt',
      '/a-z/',
      '/feed.xml',
      ...site.assets.all.map((a) => a.url),
      ...site.model.library.downloads.keys(),
      '/no-such-page/',
    ];
    for (const url of urls) {
      const live = await rawGet(app, url);
      const fromNginx = await fetch(`http://127.0.0.1:${nginx.port}${url}`, {
        headers: { 'Accept-Encoding': 'identity' },
      });
      expect(fromNginx.status, url).toBe(live.status);
      expect(Buffer.from(await fromNginx.arrayBuffer()).equals(live.body), url).toBe(true);
      for (const header of STATIC_HEADERS)
        expect(fromNginx.headers.get(header), `${url} ${header}`).toBe(live.headers[header]);
      expect(fromNginx.headers.get('content-type'), url).toBe(live.headers['content-type']);
    }
  });

  it('serves the export’s search index as JSON with the security headers', async () => {
    const res = await fetch(`http://127.0.0.1:${nginx.port}/search/index.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(((await res.json()) as { entries: unknown[] }).entries).toHaveLength(site.pages.size);
  });

  it('redirects the form without a trailing slash, and serves gzip to those who accept it', async () => {
    const redirect = await fetch(`http://127.0.0.1:${nginx.port}/about`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/about/');
    expect(redirect.headers.get('content-security-policy')).toContain("default-src 'none'");
    const gz = await new Promise<IncomingMessage>((resolve) => {
      import('node:http').then((http) =>
        http.get({ host: '127.0.0.1', port: nginx.port, path: '/', headers: { 'Accept-Encoding': 'gzip' } }, resolve),
      );
    });
    gz.resume();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
  });

  it('sends download headers for a document file with a capital extension too', async () => {
    // The content check refuses such names; the configuration must not depend on it.
    const [first] = [...site.model.library.downloads.values()];
    const upper = first!.url.replace(/\.([a-z]+)$/, (_m, ext: string) => `-copy.${ext.toUpperCase()}`);
    writeFileSync(path.join(tmp, '_site', upper), first!.bytes);
    const res = await fetch(`http://127.0.0.1:${nginx.port}${upper}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment');
    expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });

  it('hides the export marker and refuses other methods', async () => {
    expect((await fetch(`http://127.0.0.1:${nginx.port}/.site-export`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${nginx.port}/`, { method: 'DELETE' })).status).toBe(405);
  });
});
