/**
 * Pictures in pages at the size limits cost time in proportion to their size
 * (the budget of the hostile content suite: 100 ms plus 6 ms of CPU per KB of
 * page), and a page of broken pictures is reported a few at a time.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_BYTES } from '../../src/content/buildSite.js';
import { MAX_IMAGE_PROBLEMS_PER_PAGE } from '../../src/content/images.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { tinyPng } from '../helpers/images.js';
import { buildFromFiles, minimalFiles, page, SITE_URL } from '../helpers/site.js';

const head = 'title: Worst shape\ndescription: A page at the size limit.';
const pageOf = (unit: string) => page(head, unit.repeat(Math.floor((MAX_PAGE_BYTES - 200) / unit.length)));
const bound = (text: string) => 100 + (Buffer.byteLength(text) / 1024) * 6;
function cpuMs(fn: () => void): number {
  const before = process.cpuUsage();
  fn();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
/** A folder of many pictures, so that guessing a missing one's name has much to compare with. */
const manyPictures = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`pictures/p${i}.png`, tinyPng(1, 1)]));

describe('pictures at the size limits', () => {
  it('a page of pictures builds and renders every one with its size', () => {
    const text = pageOf('![A dot](/pictures/p1.png) ');
    let html = '';
    const used = cpuMs(() => {
      const result = buildFromFiles(minimalFiles({ 'worst.md': text, ...manyPictures }));
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      html = renderSite(result.site!, { siteUrl: SITE_URL }).pages.get('/worst/')!.body.toString('utf8');
    });
    const count = (text.match(/!\[/g) ?? []).length;
    expect(html.match(/ width="1" height="1" loading="lazy" alt="A dot">/g)).toHaveLength(count);
    expect(used, `cost ${used.toFixed(0)} ms`).toBeLessThan(bound(text));
  });

  it('a page of missing pictures is refused, reported a few at a time', () => {
    const text = pageOf('![A dot](/pictures/q1.png) ');
    let errors: string[] = [];
    const used = cpuMs(() => {
      const result = buildFromFiles(minimalFiles({ 'worst.md': text, ...manyPictures }));
      errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    });
    expect(errors).toHaveLength(MAX_IMAGE_PROBLEMS_PER_PAGE);
    expect(errors[0]).toContain('did you mean');
    expect(errors.at(-1)).toMatch(/^\d+ more pictures on this page have problems, from here on/);
    expect(used, `cost ${used.toFixed(0)} ms`).toBeLessThan(bound(text));
  });

  it('many pages of missing pictures beside a folder of many pictures cost time in proportion to the site', () => {
    // Guessing each missing picture's name compares it with every picture of its folder: with a budget per page
    // only, 100 pages of 20 missing pictures against 1,000 pictures took 10 s (and 200 against 2,000 took 45 s).
    const pictures = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`pictures/photo-of-the-team-${i}.png`, tinyPng(1, 1)]),
    );
    const missing = (i: number) =>
      Array.from({ length: 20 }, (_, j) => `![A dot](/pictures/missing-picture-${i}-${j}.png)\n`).join('\n');
    const pages = Object.fromEntries(
      Array.from({ length: 100 }, (_, i) => [`p${i}.md`, page(`title: Page ${i}\ndescription: A page.`, missing(i))]),
    );
    let errors = 0;
    const used = cpuMs(() => {
      errors = buildFromFiles(minimalFiles({ ...pages, ...pictures })).diagnostics.filter(
        (d) => d.severity === 'error' && d.message.includes('is missing'),
      ).length;
    });
    expect(errors).toBe(100 * 20);
    expect(used, `cost ${used.toFixed(0)} ms`).toBeLessThan(bound(Object.values(pages).join('')) * 2);
  });

  it('a page of undescribed pictures is refused, reported a few at a time', () => {
    const text = pageOf('![](/pictures/p1.png)x ');
    const result = buildFromFiles(minimalFiles({ 'worst.md': text, ...manyPictures }));
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(MAX_IMAGE_PROBLEMS_PER_PAGE);
    expect(errors[0]!.message).toContain('has no description');
  });
});
