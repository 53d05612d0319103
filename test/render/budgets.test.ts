/**
 * Byte budgets for a first visit on a poor mobile connection. Counted in
 * bytes (gzip, what every browser accepts), never in time.
 */
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { renderedBundledSite } from '../helpers/site.js';

const KB = 1024;
let site: RenderedSite;
let html: string;
beforeAll(async () => {
  site = await renderedBundledSite();
  html = site.pages.get('/')!.body.toString();
});

const gzipped = (b: Buffer) => gzipSync(b, { level: 9 }).length;
const assetAt = (url: string) => {
  const asset = site.assets.byUrl.get(url);
  if (!asset) throw new Error(`page references missing asset ${url}`);
  return asset;
};

describe('performance budgets', () => {
  it('home page HTML is at most 15 KB compressed', () => {
    expect(gzipped(Buffer.from(html))).toBeLessThanOrEqual(15 * KB);
  });

  it('the whole first visit to the home page is at most 80 KB compressed', () => {
    const urls = new Set<string>();
    for (const m of html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)) urls.add(m[1]!);
    for (const m of html.matchAll(/<script[^>]* src="([^"]+)"/g)) urls.add(m[1]!);
    for (const m of html.matchAll(/<img[^>]* src="([^"]+)"/g)) urls.add(m[1]!);
    // The icon a current browser picks (SVG), and modules that scripts import.
    for (const m of html.matchAll(/<link rel="icon" href="([^"]+\.svg)"/g)) urls.add(m[1]!);
    for (const url of [...urls]) {
      const text = assetAt(url).response.body.toString();
      for (const m of text.matchAll(/from ?["'](\/assets\/[^"']+)["']/g)) urls.add(m[1]!);
    }
    const total =
      gzipped(Buffer.from(html)) + [...urls].reduce((sum, url) => sum + gzipped(assetAt(url).response.body), 0);
    expect(urls.size).toBeGreaterThanOrEqual(3);
    expect(total).toBeLessThanOrEqual(80 * KB);
  });

  it('blocks rendering on one stylesheet and nothing else', () => {
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head.match(/<link rel="stylesheet"/g)).toHaveLength(1);
    // Classic scripts in <head> block; module scripts are deferred.
    for (const tag of head.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/type="module"|\bdefer\b|\basync\b/);
  });
});
