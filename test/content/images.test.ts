/**
 * Images in pages: checked by their bytes, described or marked decorative,
 * found beside the page or reported at the image's line and column, and
 * given a fingerprinted address with their size.
 */
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { sha256 } from '../../src/content/contentCache.js';
import { reviewContent } from '../../src/content/governance.js';
import { imageFacts, MAX_IMAGE_BYTES } from '../../src/content/imageFiles.js';
import { imageSourceFor, resolveImages } from '../../src/content/images.js';
import { memoryFolderOf, type FixtureFile } from '../helpers/documents.js';
import { HOSTILE_SVG, jpegHeader, tinyPng, webpHeader } from '../helpers/images.js';
import { minimalFiles, page } from '../helpers/site.js';

const facts = (bytes: Buffer) => imageFacts(bytes, sha256(bytes));
const build = (files: Record<string, FixtureFile>) => buildSite(memoryFolderOf({ ...minimalFiles(), ...files }));
const errors = (files: Record<string, FixtureFile>) =>
  build(files)
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`);

describe('image files', () => {
  it('are PNG, JPEG or WebP by their bytes, with their size in pixels', () => {
    expect(facts(tinyPng(40, 30))).toMatchObject({ ok: true, kind: 'png', width: 40, height: 30 });
    expect(facts(jpegHeader(1600, 1200))).toMatchObject({ ok: true, kind: 'jpeg', width: 1600, height: 1200 });
    expect(facts(webpHeader(320, 200))).toMatchObject({ ok: true, kind: 'webp', width: 320, height: 200 });
  });

  it('refuse SVG, web pages, GIF, empty and damaged files, and pictures too large for a browser', () => {
    expect(facts(Buffer.from(HOSTILE_SVG))).toMatchObject({ ok: false, reason: expect.stringContaining('SVG') });
    expect(facts(Buffer.from('<html><script>alert(1)</script></html>'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('web page'),
    });
    expect(facts(Buffer.from('GIF89a....'))).toMatchObject({ ok: false, reason: expect.stringContaining('GIF') });
    expect(facts(Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'the file is empty' });
    expect(facts(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2]))).toMatchObject({ ok: false });
    expect(facts(jpegHeader(60_000, 100))).toMatchObject({ ok: false, reason: expect.stringContaining('too large') });
    expect(facts(Buffer.alloc(MAX_IMAGE_BYTES + 1))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('MB'),
    });
  });
});

describe('images in pages', () => {
  it('name files relative to the page, or to the content folder with "/"', () => {
    expect(imageSourceFor('work-streams/kpi.md', 'chart.png')).toBe('work-streams/chart.png');
    expect(imageSourceFor('work-streams/kpi.md', '../images/a%20b.png')).toBe('images/a b.png');
    expect(imageSourceFor('index.md', '/images/logo.png')).toBe('images/logo.png');
    expect(imageSourceFor('index.md', 'https://example.org/x.png')).toBeNull();
    expect(imageSourceFor('index.md', '//example.org/x.png')).toBeNull();
  });

  it('are served at a fingerprinted address with width and height', () => {
    const png = tinyPng(40, 30);
    const result = build({
      'about.md': page('title: About\ndescription: About.', 'Text.\n\n![A blue square](square.png)\n'),
      'square.png': png,
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const image = result.site!.images.get('square.png')!;
    expect(image.url).toMatch(/^\/assets\/content\/square\.[0-9a-f]{12}\.png$/);
    const about = result.site!.pages.get('/about/')!;
    expect(resolveImages(about.bodyHtml, about, result.site!.images)).toContain(
      `<img src="${image.url}" width="40" height="30" loading="lazy" alt="A blue square">`,
    );
  });

  it('must say what they show, unless marked {decorative}', () => {
    const png = tinyPng();
    const problems = errors({
      'about.md': page(
        'title: About\ndescription: About.',
        'Text.\n\n![](a.png)\n\n![](a.png){decorative} and more\n\n![Words](a.png){decorative}\n',
      ),
      'a.png': png,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^about\.md:7:5: the image "a\.png" has no description .*\{decorative\}/),
      expect.stringMatching(/^about\.md:11:10: the image "a\.png" is marked \{decorative\} but also has a description/),
    ]);
    const decorative = build({
      'about.md': page('title: About\ndescription: About.', '![](a.png){decorative} and more\n'),
      'a.png': png,
    });
    const about = decorative.site!.pages.get('/about/')!;
    const html = resolveImages(about.bodyHtml, about, decorative.site!.images);
    expect(html).toMatch(/<img src="[^"]+" width="4" height="3" loading="lazy" alt=""> and more/);
    expect(html).not.toContain('{decorative}');
  });

  it('report a missing file at the line and column of the image, with a guess at the name meant', () => {
    expect(
      errors({
        'work-streams/index.md': page('title: Work\ndescription: Work.', 'One.\n\nTwo ![Chart](chrat.png).\n'),
        'work-streams/chart.png': tinyPng(),
      }),
    ).toEqual([
      'work-streams/index.md:7:14: the image "chrat.png" is missing: there is no file work-streams/chrat.png in the ' +
        'content folder. Add the picture there, or correct the name (did you mean "chart.png"?)',
    ]);
  });

  it('refuse SVG, pictures from other websites, a renamed web page and a picture under the wrong name', () => {
    const problems = errors({
      'about.md': page(
        'title: About\ndescription: About.',
        [
          '![Logo](logo.svg)',
          '![Remote](https://example.org/x.png)',
          '![Fake](fake.png)',
          '![Wrong](photo.png)',
          '![Report](/documents/report.pdf)',
        ].join('\n\n') + '\n',
      ),
      'logo.svg': HOSTILE_SVG,
      'fake.png': '<html><script>alert(1)</script></html>',
      'photo.png': jpegHeader(10, 10),
    });
    expect(problems).toEqual([
      expect.stringMatching(/^about\.md:5:9: .*"logo\.svg" is an SVG file, which can hold scripts/),
      expect.stringMatching(/^about\.md:7:11: .*is not a file of the website/),
      expect.stringMatching(/^about\.md:9:9: .*"fake\.png" cannot be shown: it is a web page/),
      expect.stringMatching(/^about\.md:11:10: .*"photo\.png" cannot be shown: it is a JPEG image .* \.jpg/),
      expect.stringMatching(/^about\.md:13:11: .*"\/documents\/report\.pdf" is not a picture/),
    ]);
  });

  it('are public only when a published page shows them; the preview has every valid image', () => {
    const result = build({
      'about.md': page('title: About\ndescription: About.', '![Shown](shown.png)\n'),
      'draft.md': page('title: Draft\ndescription: Draft.\ndraft: true', '![Secret](secret.png)\n'),
      'shown.png': tinyPng(1, 1),
      'secret.png': tinyPng(2, 2),
      'spare.png': tinyPng(3, 3),
    });
    expect([...result.site!.images.keys()]).toEqual(['shown.png']);
    expect([...result.preview!.images.keys()].sort()).toEqual(['secret.png', 'shown.png', 'spare.png']);
  });

  it('count as used by the pages showing them, so only an unused picture is reported as unused', () => {
    const folder = memoryFolderOf({
      ...minimalFiles(),
      'about.md': page('title: About\ndescription: About.', '![Shown](shown.png)\n'),
      'shown.png': tinyPng(1, 1),
      'spare.png': tinyPng(3, 3),
    });
    const report = reviewContent({ folder, build: buildSite(folder) }, { today: '2026-12-01' });
    const unused = report.diagnostics.filter((d) => d.message.startsWith('nothing uses this file')).map((d) => d.file);
    expect(unused).toEqual(['spare.png']);
  });

  it('cannot be forged by a page: a NUL in the text never becomes an image marker', () => {
    const result = build({
      'about.md': page('title: About\ndescription: About.', 'src="\u0000img0\u0000" and ![A](a.png)\n'),
      'a.png': tinyPng(),
    });
    const about = result.site!.pages.get('/about/')!;
    const html = resolveImages(about.bodyHtml, about, result.site!.images);
    expect(html.match(/<img /g)).toHaveLength(1);
    expect(html).not.toContain('\u0000');
  });
});
