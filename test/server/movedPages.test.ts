/**
 * Moved pages and content images over HTTP, on both paths of the server: the
 * fast path (anonymous reads) and the Express app (any request with a
 * cookie). Each old address answers 301 straight to the page, query kept,
 * with the security headers; each image from its fingerprinted address,
 * cached for a year, with its size in the page's HTML.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { tinyPng } from '../helpers/images.js';
import { appFor, minimalFiles, page, renderedFromFiles } from '../helpers/site.js';

const site = renderedFromFiles(
  minimalFiles({
    'site.yml': `${minimalFiles()['site.yml']}\nredirects:\n  - from: /old-site/about.html\n    to: /about-us/\n`,
    'about-us.md': page(
      'title: About us\ndescription: About.\nformerAddresses:\n  - /about/\n  - /über/',
      'Who we are.\n\n![Our team at work](team.png)\n',
    ),
    'team.png': tinyPng(64, 48),
  }),
);
const app = appFor(site);
const paths = { fast: {}, express: { Cookie: 'a=b' } } as const;

describe.each(Object.entries(paths))('on the %s path', (_name, headers) => {
  it('an old address answers 301 straight to the page, with the query kept and the security headers', async () => {
    for (const [from, location] of [
      ['/about/', '/about-us/'],
      ['/about', '/about-us/'],
      ['/about/?utm=1&x=%20', '/about-us/?utm=1&x=%20'],
      ['/old-site/about.html', '/about-us/'],
      ['/%C3%BCber/', '/about-us/'],
    ]) {
      const res = await request(app).get(from!).set(headers).redirects(0);
      expect(res.status, from).toBe(301);
      expect(res.headers.location, from).toBe(location);
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.headers['x-request-id']).toBeTruthy();
    }
    expect((await request(app).get('/about-us/').set(headers)).status).toBe(200);
    expect((await request(app).get('/no-such/').set(headers)).status).toBe(404);
  });

  it('a content image is served from its fingerprinted address, cached for a year', async () => {
    const image = [...site.images.keys()][0]!;
    expect(image).toMatch(/^\/assets\/content\/team\.[0-9a-f]{12}\.png$/);
    const res = await request(app).get(image).set(headers);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(res.body as Buffer).equals(tinyPng(64, 48))).toBe(true);
    const html = (await request(app).get('/about-us/').set(headers)).text;
    expect(html).toContain(`<img src="${image}" width="64" height="48" loading="lazy" alt="Our team at work">`);
    expect((await request(app).get('/team.png').set(headers)).status).toBe(404);
    expect((await request(app).get('/assets/content/team.000000000000.png').set(headers)).status).toBe(404);
  });
});
