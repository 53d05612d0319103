/**
 * Moved pages keep working: former addresses and site.yml redirects lead
 * straight to a page, and `npm run check` refuses loops, chains, redirects to
 * missing pages and redirects that would hide a page or a file.
 */
import { describe, expect, it } from 'vitest';
import { findRedirect } from '../../src/content/redirects.js';
import { buildLibrarySite, documentPage } from '../helpers/documents.js';
import { buildFromFiles, minimalFiles, page } from '../helpers/site.js';

const withRedirects = (lines: string) => `${minimalFiles()['site.yml']}\nredirects:\n${lines}`;
const messages = (files: Record<string, string>) =>
  buildFromFiles(minimalFiles(files))
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.file}:${d.line}: ${d.message}`);

describe('redirects', () => {
  it("lead a page's former addresses, and site.yml's, straight to the page", () => {
    const result = buildFromFiles(
      minimalFiles({
        'site.yml': withRedirects('  - from: /old-site/about.html\n    to: /about-us/\n'),
        'about-us.md': page('title: About\ndescription: About.\nformerAddresses:\n  - /about/\n  - /info/about/'),
      }),
    );
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect([...result.site!.redirects]).toEqual([
      ['/about/', '/about-us/'],
      ['/info/about/', '/about-us/'],
      ['/old-site/about.html', '/about-us/'],
    ]);
    expect(findRedirect(result.site!.redirects, '/about')).toBe('/about-us/');
    expect(findRedirect(result.site!.redirects, '/about-us/')).toBeUndefined();
  });

  it('refuse a redirect that hides a page, or the engine, or its own page', () => {
    expect(
      messages({
        'site.yml': withRedirects(
          '  - from: /other\n    to: /about/\n  - from: /search/\n    to: /about/\n' +
            '  - from: /404.html\n    to: /about/\n',
        ),
        'about.md': page('title: About\ndescription: About.\nformerAddresses:\n  - /about/'),
        'other.md': page('title: Other\ndescription: Other.'),
      }),
    ).toEqual([
      'about.md:5: the old address "/about/" is this page\'s own address: remove it from the former addresses',
      expect.stringMatching(/^site\.yml:\d+: the old address "\/other" is the address of the page other\.md, which /),
      expect.stringMatching(/^site\.yml:\d+: the old address "\/search\/" belongs to the website itself/),
      expect.stringMatching(/^site\.yml:\d+: the old address "\/404\.html" belongs to the website itself/),
    ]);
  });

  it('refuse a redirect at another spelling of a page or a file, or inside a file, which the export needs', () => {
    // Static hosts and nginx serve /about/ from about/index.html, and /feed.xml/ would need a folder feed.xml:
    // such a redirect replaced the page in the export, answered /about/ with a 301 in nginx, or broke both.
    expect(
      messages({
        'site.yml': withRedirects(
          [
            '  - from: /about/index.html\n    to: /other/',
            '  - from: /index.html\n    to: /other/',
            '  - from: /feed.xml/\n    to: /other/',
            '  - from: /404.html/\n    to: /other/',
            '  - from: /robots.txt/old/\n    to: /other/',
          ].join('\n') + '\n',
        ),
        'about.md': page('title: About\ndescription: About.'),
        'other.md': page('title: Other\ndescription: Other.'),
      }),
    ).toEqual([
      expect.stringMatching(
        /^site\.yml:\d+: the old address "\/about\/index\.html" is the address of the page about\.md/,
      ),
      expect.stringMatching(/^site\.yml:\d+: the old address "\/index\.html" is the address of the page index\.md/),
      expect.stringMatching(/^site\.yml:\d+: the old address "\/feed\.xml\/" belongs to the website itself/),
      expect.stringMatching(/^site\.yml:\d+: the old address "\/404\.html\/" belongs to the website itself/),
      expect.stringMatching(/^site\.yml:\d+: the old address "\/robots\.txt\/old\/" is inside \/robots\.txt, a file/),
    ]);
    const library = buildLibrarySite({
      'documents/data/index.md': documentPage({
        extra: 'formerAddresses:\n  - /documents/data/data.csv/\n  - /documents/data/data.csv/more',
      }),
      'documents/data/data.csv': 'a,b\n1,2\n',
    });
    expect(library.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([
      expect.stringMatching(/"\/documents\/data\/data\.csv\/" is the address of a document file/),
      expect.stringMatching(/"\/documents\/data\/data\.csv\/more" is inside \/documents\/data\/data\.csv, a file/),
    ]);
  });

  it('refuse a redirect inside the address of another redirect that the export writes as a file', () => {
    // The export writes a page that sends visitors on at /old.html: a redirect from /old.html/more/ would need a
    // folder of that name, and the export failed. Whichever of the two is written first, the inner one is refused.
    for (const order of [
      ['  - from: /old.html\n    to: /about/', '  - from: /old.html/more/\n    to: /about/'],
      ['  - from: /old.htm/more/\n    to: /about/', '  - from: /old.htm\n    to: /about/'],
    ]) {
      expect(
        messages({
          'site.yml': withRedirects(order.join('\n') + '\n'),
          'about.md': page('title: About\ndescription: About.'),
        }),
      ).toEqual([
        expect.stringMatching(
          /^site\.yml:\d+: the old address "\/old\.html?\/more\/" is inside \/old\.html?, the old address of /,
        ),
      ]);
    }
  });

  it('refuse loops, chains, an address taken twice and a redirect to a missing page, naming the place', () => {
    const problems = messages({
      'site.yml': withRedirects(
        [
          '  - from: /a/\n    to: /b/',
          '  - from: /b/\n    to: /a/',
          '  - from: /old/\n    to: /older/',
          '  - from: /older/\n    to: /about/',
          '  - from: /gone/\n    to: /nowhere/',
          '  - from: /slash/\n    to: /about',
          '  - from: /twice/\n    to: /about/',
        ].join('\n') + '\n',
      ),
      'about.md': page('title: About\ndescription: About.\nformerAddresses:\n  - /twice/'),
    });
    expect(problems).toEqual([
      expect.stringMatching(/^site\.yml:\d+: the redirect from "\/a\/" to "\/b\/" is part of a loop/),
      expect.stringMatching(/^site\.yml:\d+: the redirect from "\/b\/" to "\/a\/" is part of a loop/),
      expect.stringMatching(/^site\.yml:\d+: the redirect from "\/old\/" .* leads to another redirect .*"\/about\/"/),
      expect.stringMatching(/^site\.yml:\d+: the redirect from "\/gone\/" .* which is not a page of this website/),
      expect.stringMatching(/^site\.yml:\d+: the redirect from "\/slash\/" .* should end with "\/"/),
      expect.stringMatching(
        /^site\.yml:\d+: the old address "\/twice\/" already leads to \/about\/ \(about\.md, line 5\)/,
      ),
    ]);
  });

  it('refuse addresses that are not paths of this site', () => {
    expect(
      messages({
        'about.md': page('title: About\ndescription: About.\nformerAddresses:\n  - https://x.org/\n  - /a/../b/'),
      }),
    ).toEqual([
      expect.stringMatching(/^about\.md:5: .*formerAddresses.*must be a web address of this site/),
      expect.stringMatching(/^about\.md:6: .*must not contain "\." or "\.\." parts/),
    ]);
  });

  it('to a draft are for the preview only; the public site leaves them out', () => {
    const result = buildFromFiles(
      minimalFiles({
        'site.yml': withRedirects('  - from: /soon/\n    to: /draft/\n'),
        'draft.md': page('title: Draft\ndescription: Draft.\ndraft: true\nformerAddresses:\n  - /was-draft/'),
      }),
    );
    expect(result.site).toBeNull();
    expect(result.diagnostics.find((d) => d.severity === 'error')?.message).toContain('leads to a draft');
    expect([...result.preview!.redirects.keys()].sort()).toEqual(['/soon/', '/was-draft/']);
    const quiet = buildFromFiles(
      minimalFiles({
        'draft.md': page('title: Draft\ndescription: Draft.\ndraft: true\nformerAddresses:\n  - /was-draft/'),
      }),
    );
    expect(quiet.site!.redirects.size).toBe(0);
  });

  it("lead a moved document's files to their new addresses too", () => {
    const result = buildLibrarySite({
      'documents/new-name/index.md': documentPage({ extra: 'formerAddresses:\n  - /documents/old-name/' }),
      'documents/new-name/data.csv': 'a,b\n1,2\n',
    });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(Object.fromEntries(result.site!.redirects)).toEqual({
      '/documents/old-name/': '/documents/new-name/',
      '/documents/old-name/data.csv': '/documents/new-name/data.csv',
    });
  });
});
