import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { PageCache } from '../../src/content/pageCache.js';
import { BUNDLED_SETTINGS, FIXTURE_CONTACT_EMAIL, memoryFolder, minimalFiles, page } from '../helpers/site.js';

describe('parsed page cache', () => {
  const files = minimalFiles({ 'a.md': page('title: A\ndescription: D'), 'b.md': page('title: B\ndescription: D') });

  it('parses only changed files and returns the same page objects for the rest', () => {
    const cache = new PageCache();
    const first = buildSite(memoryFolder(files), { cache });
    expect(cache.misses).toBe(4);
    // Fresh buffers with the same bytes: found by content hash.
    const second = buildSite(memoryFolder(files), { cache });
    expect([cache.hits, cache.misses]).toEqual([4, 0]);
    expect(second.site!.pages.get('/a/')).toBe(first.site!.pages.get('/a/'));

    const third = buildSite(memoryFolder({ ...files, 'a.md': page('title: A2\ndescription: D') }), { cache });
    expect([cache.hits, cache.misses]).toEqual([3, 1]);
    expect(third.site!.pages.get('/a/')!.frontMatter.title).toBe('A2');
    expect(third.site!.pages.get('/b/')).toBe(first.site!.pages.get('/b/'));
  });

  it('parses every page again when the site settings change, since placeholders depend on them', () => {
    const cache = new PageCache();
    buildSite(memoryFolder(files), { cache });
    buildSite(
      memoryFolder({
        ...files,
        'site.yml': BUNDLED_SETTINGS.replace(FIXTURE_CONTACT_EMAIL, 'new@perinatal-project.nhs.uk'),
      }),
      { cache },
    );
    expect([cache.hits, cache.misses]).toEqual([0, 4]);
  });

  it('forgets deleted files, and reports the problems of a cached broken file on every build', () => {
    const cache = new PageCache();
    const broken = { ...files, 'b.md': page('title: B\ndescription: D\ntittle: x') };
    expect(buildSite(memoryFolder(broken), { cache }).diagnostics.map((d) => d.file)).toEqual(['b.md']);
    expect(buildSite(memoryFolder(broken), { cache }).diagnostics.map((d) => d.file)).toEqual(['b.md']);
    const { 'b.md': _gone, ...rest } = files;
    buildSite(memoryFolder(rest), { cache });
    expect(cache.size).toBe(3);
  });
});
