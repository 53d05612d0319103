/**
 * Pictures sized for phones: a picture wider than a phone gets smaller
 * copies at their own fingerprinted addresses, listed in the page's `srcset`
 * for the browser to choose from, served and exported like the picture, and
 * made once per picture however often the content is loaded again.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { imageSize } from 'image-size';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContentLoader, folderSource, type LoadedContent } from '../../src/content/loadContent.js';
import type { SiteImage } from '../../src/content/model.js';
import { exportFiles } from '../../src/deploy/exportSite.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { jpegHeader, tinyPng } from '../helpers/images.js';
import { appFor, minimalFiles, page, tempContent } from '../helpers/site.js';

let dir: string;
let cleanup: () => void;
let loader: ContentLoader;
let loaded: LoadedContent;
const imageOf = (content: LoadedContent, source: string): SiteImage => content.build.site!.images.get(source)!;

beforeAll(async () => {
  ({ dir, cleanup } = tempContent(
    minimalFiles({
      'about.md': page(
        'title: About\ndescription: About the project.',
        '![The project team](team.png)\n\n![A small icon](icon.png)\n\n![A damaged photograph](damaged.jpg)\n',
      ),
    }),
  ));
  writeFileSync(path.join(dir, 'team.png'), tinyPng(1200, 800));
  writeFileSync(path.join(dir, 'icon.png'), tinyPng(300, 200));
  // Its header gives a size, but there is no picture after it.
  writeFileSync(path.join(dir, 'damaged.jpg'), jpegHeader(2000, 1000));
  loader = new ContentLoader(folderSource(dir));
  loaded = await loader.load('all', Date.now());
});
afterAll(() => cleanup?.());

describe('a picture wider than a phone', () => {
  it('gets copies 480 and 960 pixels wide, in its own format, at fingerprinted addresses', () => {
    expect(loaded.build.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const team = imageOf(loaded, 'team.png');
    expect(team.variants!.map((v) => [v.width, v.height])).toEqual([
      [480, 320],
      [960, 640],
    ]);
    for (const variant of team.variants!) {
      expect(variant.url).toMatch(new RegExp(`^/assets/content/team-${variant.width}w\\.[0-9a-f]{12}\\.png$`));
      expect(imageSize(variant.bytes)).toMatchObject({ type: 'png', width: variant.width, height: variant.height });
      expect(variant.bytes.length).toBeLessThan(team.bytes.length);
    }
    // The preview has the same copies.
    expect(loaded.build.preview!.images.get('team.png')!.variants).toBe(team.variants);
  });

  it('is offered in srcset with its copies, at its own width and size, so the page does not jump', () => {
    const site = renderSite(loaded.build.site!, { siteUrl: 'https://example.org' });
    const html = site.pages.get('/about/')!.body.toString('utf8');
    const [small, medium] = imageOf(loaded, 'team.png').variants!;
    const team = imageOf(loaded, 'team.png');
    expect(html).toContain(
      `<img src="${team.url}" srcset="${small!.url} 480w, ${medium!.url} 960w, ${team.url} 1200w" ` +
        'sizes="(max-width: 1200px) 100vw, 1200px" width="1200" height="800" loading="lazy" alt="The project team">',
    );
    // A picture no wider than the smallest copy, or one sharp cannot read, is shown whole, as it is.
    expect(imageOf(loaded, 'icon.png').variants).toBeUndefined();
    expect(imageOf(loaded, 'damaged.jpg').variants).toBeUndefined();
    expect(html).toContain(`<img src="${imageOf(loaded, 'icon.png').url}" width="300" height="200" loading="lazy"`);
  });

  it('has its copies served and exported like the picture, cached for a year', async () => {
    const site = renderSite(loaded.build.site!, { siteUrl: 'https://example.org' });
    const app = appFor(site);
    const exported = new Map([...exportFiles(site)].map((f) => [f.file, f]));
    for (const variant of imageOf(loaded, 'team.png').variants!) {
      const res = await request(app).get(variant.url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(res.body as Buffer).equals(variant.bytes)).toBe(true);
      expect(Buffer.from(exported.get(variant.url.slice(1))!.body()).equals(variant.bytes)).toBe(true);
    }
  });

  it('is resized once: a later load reuses the copies, and a changed picture gets new ones', async () => {
    const again = await loader.load(['about.md'], Date.now());
    expect(imageOf(again, 'team.png').variants).toBe(imageOf(loaded, 'team.png').variants);
    writeFileSync(path.join(dir, 'team.png'), tinyPng(1200, 800, [255, 235, 59]));
    const changed = await loader.load(['team.png'], Date.now());
    const urls = (content: LoadedContent) => imageOf(content, 'team.png').variants!.map((v) => v.url);
    expect(urls(changed)).toHaveLength(2);
    expect(urls(changed).some((url) => urls(loaded).includes(url))).toBe(false);
  });
});
