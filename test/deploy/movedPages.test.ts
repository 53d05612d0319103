/**
 * Moved pages and content images in the static export and behind nginx: the
 * export writes each image at its fingerprinted address, a `_redirects` list
 * for hosts that read one, and a page at each old page address that sends
 * the browser on; nginx answers the old addresses with a real 301 and the
 * app's headers.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigData } from 'html-validate';
import { exportSite } from '../../src/deploy/exportSite.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { tinyPng } from '../helpers/images.js';
import { nginxInstalled, startNginx, type RunningNginx } from '../helpers/nginx.js';
import { appFor, minimalFiles, page, rawGet, renderedFromFiles } from '../helpers/site.js';
import { buildLibrarySite, documentPage } from '../helpers/documents.js';

const site = renderedFromFiles(
  minimalFiles({
    'site.yml': `${minimalFiles()['site.yml']}\nredirects:\n  - from: /old-site/about.html\n    to: /about-us/\n`,
    'about-us.md': page(
      'title: About us\ndescription: About.\nformerAddresses:\n  - /about/',
      'Who we are.\n\n![Our team](team.png)\n',
    ),
    'team.png': tinyPng(64, 48),
  }),
);
let tmp: string;
let out: string;
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'moved-export-'));
  out = path.join(tmp, '_site');
  await exportSite(site, out);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the static export', () => {
  it('writes each content image at its fingerprinted address, byte for byte', () => {
    const [url] = [...site.images.keys()];
    expect(readFileSync(path.join(out, url!.slice(1))).equals(tinyPng(64, 48))).toBe(true);
  });

  it('writes a _redirects list, and a page at each old page address that sends the browser on', () => {
    expect(readFileSync(path.join(out, '_redirects'), 'utf8')).toBe(
      '/about/ /about-us/ 301\n/about /about-us/ 301\n/old-site/about.html /about-us/ 301\n',
    );
    for (const file of ['about/index.html', 'old-site/about.html']) {
      const html = readFileSync(path.join(out, file), 'utf8');
      expect(html).toContain('<meta http-equiv="refresh" content="0; url=/about-us/">');
      expect(html).toContain('<link rel="canonical" href="/about-us/">');
      expect(html).toContain('<a href="/about-us/">About us</a>');
      expect(html).not.toMatch(/<script|style=/);
    }
  });

  it('writes pages that html-validate passes: the redirect page, and a page showing a picture', async () => {
    const { HtmlValidate } = await import('html-validate');
    const config = JSON.parse(readFileSync(path.join(PROJECT_ROOT, '.htmlvalidate.json'), 'utf8')) as ConfigData;
    const validator = new HtmlValidate(config);
    for (const file of ['about/index.html', 'about-us/index.html']) {
      const report = await validator.validateString(readFileSync(path.join(out, file), 'utf8'));
      expect(report.results.flatMap((r) => r.messages.map((m) => `${file} ${m.ruleId}: ${m.message}`))).toEqual([]);
    }
  });

  it("writes no page for a moved document's file: only the list and nginx know those", async () => {
    const result = buildLibrarySite({
      'documents/new-name/index.md': documentPage({ extra: 'formerAddresses:\n  - /documents/old-name/' }),
      'documents/new-name/data.csv': 'a,b\n1,2\n',
    });
    const { renderSite } = await import('../../src/render/siteRenderer.js');
    const dir = path.join(tmp, 'documents-export');
    await exportSite(renderSite(result.site!, { siteUrl: 'https://x.example' }), dir);
    expect(readFileSync(path.join(dir, '_redirects'), 'utf8')).toContain(
      '/documents/old-name/data.csv /documents/new-name/data.csv 301',
    );
    expect(() => readFileSync(path.join(dir, 'documents/old-name/data.csv'))).toThrow();
  });
});

describe('the _redirects list', () => {
  it('leaves out old addresses that Netlify and Cloudflare Pages would read as patterns (* and :name)', async () => {
    // "/:section/" there matches every address one folder deep, and Cloudflare follows a redirect even where a
    // file exists: one former address would have sent the whole site to one page. The refresh page still works.
    const patterns = renderedFromFiles(
      minimalFiles({
        'about-us.md': page(
          'title: About us\ndescription: About.\nformerAddresses:\n  - /:section/\n  - /old/*\n  - /about/',
        ),
      }),
    );
    const dir = path.join(tmp, 'pattern-export');
    await exportSite(patterns, dir);
    expect(readFileSync(path.join(dir, '_redirects'), 'utf8')).toBe('/about/ /about-us/ 301\n/about /about-us/ 301\n');
    expect(readFileSync(path.join(dir, ':section/index.html'), 'utf8')).toContain('url=/about-us/');
  });
});

describe.skipIf(!nginxInstalled())('nginx serving the export', () => {
  let nginx: RunningNginx;
  beforeAll(async () => {
    nginx = await startNginx(out, path.join(tmp, 'nginx'), { redirects: site.model.redirects });
  });
  afterAll(async () => nginx?.stop());

  it('answers each old address with the 301 the app gives, headers included', async () => {
    const app = appFor(site);
    for (const url of ['/about/', '/about', '/about/?x=1', '/old-site/about.html']) {
      const live = await rawGet(app, url);
      const res = await fetch(`http://127.0.0.1:${nginx.port}${url}`, { redirect: 'manual' });
      expect(res.status, url).toBe(301);
      expect(res.headers.get('location'), url).toBe(live.headers.location);
      for (const header of ['cache-control', 'content-security-policy', 'x-frame-options', 'referrer-policy'])
        expect(res.headers.get(header), `${url} ${header}`).toBe(live.headers[header]);
    }
    expect((await fetch(`http://127.0.0.1:${nginx.port}/_redirects`)).status).toBe(404);
  });

  it('serves content images with the caching of assets', async () => {
    const [url] = [...site.images.keys()];
    const res = await fetch(`http://127.0.0.1:${nginx.port}${url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
