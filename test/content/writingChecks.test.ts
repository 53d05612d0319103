/**
 * The writing advice: sentences over the site's limit and words from its
 * plain-English list, as warnings at the exact line and column, for pages
 * and their front matter, cached with each page, and seen in the preview.
 */
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import type { Diagnostic } from '../../src/content/diagnostics.js';
import { PageCache } from '../../src/content/pageCache.js';
import { PLAIN_ENGLISH_RULE } from '../../src/content/plainEnglish.js';
import { blankMarkup, bodyProse, createBlockParser } from '../../src/content/prose.js';
import { SENTENCE_LENGTH_RULE, sentencesOf } from '../../src/content/sentenceLength.js';
import { RELOAD_SCRIPT_URL } from '../../src/server/devServer.js';
import { LiveSite } from '../../src/live/liveSite.js';
import { capturedLogger } from '../helpers/live.js';
import { BUNDLED_SETTINGS, memoryFolder, minimalFiles, page, SITE_URL, tempContent } from '../helpers/site.js';

const WORD_LIST = `words:
  - avoid: [robust]
    instead: use "reliable" or "strong"
  - avoid: [governance framework, governance]
    instead: say who decides and who checks
  - avoid: [key]
    instead: use "important" or "main"
    except: [key performance indicators]
  - avoid: in order to
    instead: use "to"
`;

const words = (n: number, word = 'word') => Array.from({ length: n }, () => word).join(' ');

function advice(files: Record<string, string>, cache?: PageCache): Diagnostic[] {
  const result = buildSite(memoryFolder(minimalFiles({ 'plain-english.yml': WORD_LIST, ...files })), {
    writingAdvice: true,
    ...(cache ? { cache } : {}),
  });
  expect(result.site, result.diagnostics.map((d) => d.message).join('\n')).not.toBeNull();
  return result.diagnostics.filter((d) => d.rule === SENTENCE_LENGTH_RULE || d.rule === PLAIN_ENGLISH_RULE);
}

const where = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`);

describe('writing checks', () => {
  it('have nothing to say about a page in short, plain sentences', () => {
    const body = [
      'The project started in 2008. It ended in March 2011.',
      '',
      '## What it did',
      '',
      '- It reported key performance indicators every quarter.',
      '- It collected reliable data, for example dates and weights.',
      '',
      '| Item | Notes |',
      '| --- | --- |',
      '| Date | The date of birth. |',
      '',
      `A list of links: [a page with a long address](https://nhs.uk/${'x'.repeat(300)}/) and \`${words(40)}\`.`,
      '',
    ].join('\n');
    expect(advice({ 'plain.md': page('title: Plain\ndescription: "A plain page."', body) })).toEqual([]);
  });

  it('warn at the first word of a long sentence, in the body, a list item, a table cell and the front matter', () => {
    const body = [
      `Short first. ${words(26)} end.`,
      '',
      `- item one is short`,
      `- ${words(20)}`,
      `  ${words(10)}`,
      '',
      '| A | B |',
      '| --- | --- |',
      `| ok | ${words(30)} |`,
      '',
      `> ${words(27)}`,
      '',
    ].join('\n');
    const found = advice({ 'long.md': page(`title: Long\ndescription: "${words(30)}"`, body) });
    expect(where(found)).toEqual([
      'long.md:3:15 sentence-length',
      'long.md:5:14 sentence-length',
      'long.md:8:3 sentence-length',
      'long.md:13:8 sentence-length',
      'long.md:15:3 sentence-length',
    ]);
    expect(found[1]!.message).toBe(
      'this sentence has 27 words: keep sentences to 25 words or fewer, so ' +
        'they are easy to read. Split it, or make a list',
    );
    expect(found[2]!.message).toMatch(/^this sentence has 30 words:/);
  });

  it('count link text, code and placeholders as words, but not link addresses', () => {
    const link = `[${words(20)}](https://nhs.uk/${'a/'.repeat(50)})`;
    expect(advice({ 'a.md': page('title: A\ndescription: D', `${link} and five more words here.\n`) })).toEqual([]);
    const found = advice({
      'b.md': page(
        'title: B\ndescription: D',
        `${link} and \`npm run check\` {{contactEmail}} four more words here.\n`,
      ),
    });
    expect(found.map((d) => d.message)).toEqual([expect.stringMatching(/^this sentence has 27 words/)]);
  });

  it(
    'warn about listed words at their line and column, the longest match ' +
      'once, except in quotes or allowed phrases',
    () => {
      const body = [
        'We collected robust data.',
        'It was a governance framework, with Robust checks.',
        '',
        '## Key findings',
        '',
        'The key performance indicators were reported "in order to" quote it, in order to help.',
        '',
      ].join('\n');
      const found = advice({ 'jargon.md': page('title: Jargon\ndescription: "Robust advice."', body) });
      expect(where(found)).toEqual([
        'jargon.md:3:15 plain-english',
        'jargon.md:5:14 plain-english',
        'jargon.md:6:10 plain-english',
        'jargon.md:6:37 plain-english',
        'jargon.md:8:4 plain-english',
        'jargon.md:10:70 plain-english',
      ]);
      expect(found[0]!.message).toBe(
        '"Robust" is on the plain-English word list (plain-english.yml): use "reliable" or "strong"',
      );
      expect(found[1]!.message).toBe(
        '"robust" is on the plain-English word list (plain-english.yml): use "reliable" or "strong"',
      );
      expect(found[2]!.message).toMatch(/^"governance framework" is on the plain-English word list/);
    },
  );

  it('can be turned off by the site, one at a time', () => {
    const files = { 'p.md': page('title: P\ndescription: D', `Robust. ${words(30)}.\n`) };
    const withSettings = (settings: string) =>
      advice({ ...files, 'site.yml': BUNDLED_SETTINGS.replace(/^writingChecks:\n(?: {2}.*\n)+/m, settings) });
    expect(withSettings('writingChecks:\n  maxSentenceWords: false\n').map((d) => d.rule)).toEqual([
      PLAIN_ENGLISH_RULE,
    ]);
    expect(withSettings('writingChecks:\n  plainEnglish: false\n').map((d) => d.rule)).toEqual([SENTENCE_LENGTH_RULE]);
    expect(withSettings('writingChecks:\n  maxSentenceWords: 40\n  plainEnglish: false\n')).toEqual([]);
    expect(
      withSettings('')
        .map((d) => d.rule)
        .sort(),
    ).toEqual([PLAIN_ENGLISH_RULE, SENTENCE_LENGTH_RULE]);
  });

  it('refuse a bad setting with an error at its line', () => {
    const settings = BUNDLED_SETTINGS.replace('maxSentenceWords: 25', 'maxSentenceWords: lots');
    const result = buildSite(memoryFolder(minimalFiles({ 'site.yml': settings })));
    const line = settings.split('\n').findIndex((l) => l.includes('maxSentenceWords')) + 1;
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        file: 'site.yml',
        line,
        severity: 'error',
        message:
          '"writingChecks.maxSentenceWords" must be a whole number of words from 5 ' +
          'to 100, or false to turn the check off',
      }),
    ]);
  });

  it('treat a mistake in the word list as a warning that skips the check, never as an error', () => {
    const result = buildSite(
      memoryFolder(
        minimalFiles({
          'plain-english.yml': 'words:\n  - avoid: robust\n    insted: reliable\n',
          'p.md': page('title: P\ndescription: D', 'Robust.\n'),
        }),
      ),
      { writingAdvice: true },
    );
    expect(result.site).not.toBeNull();
    expect(result.diagnostics.every((d) => d.severity === 'warning' && d.file === 'plain-english.yml')).toBe(true);
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        line: 3,
        column: 5,
        message:
          'unknown key "words.0.insted". Did you mean "instead"? (the ' +
          'plain-English check is skipped until this is fixed)',
      }),
    );
  });

  it('check a cached page again when the word list or the limit changes, and only then', () => {
    const cache = new PageCache();
    const files = { 'p.md': page('title: P\ndescription: D', 'Plain words, and one robust one.\n') };
    expect(advice(files, cache)).toHaveLength(1);
    expect(advice(files, cache)).toHaveLength(1);
    expect(cache.misses).toBe(0);
    expect(advice({ ...files, 'plain-english.yml': 'words: []\n' }, cache)).toEqual([]);
    expect(cache.misses).toBeGreaterThan(0);
  });

  it("are left out of the public site's build, which serves visitors rather than writers", () => {
    const files = minimalFiles({
      'plain-english.yml': WORD_LIST,
      'p.md': page('title: P\ndescription: D', `Robust. ${words(30)}.\n`),
    });
    expect(buildSite(memoryFolder(files)).diagnostics).toEqual([]);
    expect(buildSite(memoryFolder(files), { writingAdvice: true }).diagnostics).toHaveLength(2);
  });

  it('reach the diagnostics the preview shows', async () => {
    const content = tempContent(
      minimalFiles({
        'plain-english.yml': WORD_LIST,
        'draft.md': page('title: Draft\ndescription: D\ndraft: true', 'A robust plan.\n'),
      }),
    );
    const live = new LiveSite({
      contentDir: content.dir,
      siteUrl: SITE_URL,
      logger: capturedLogger().logger,
      preview: { reloadScriptUrl: RELOAD_SCRIPT_URL },
    });
    try {
      const outcome = await live.reload({ content: 'all', reason: 'start' });
      expect(outcome.ok).toBe(true);
      expect(live.previewStatus()).toMatchObject({
        state: 'current',
        diagnostics: [
          expect.objectContaining({
            file: 'draft.md',
            line: 6,
            column: 3,
            severity: 'warning',
            rule: PLAIN_ENGLISH_RULE,
          }),
          // The preview also says what npm run check says of the content's upkeep.
          expect.objectContaining({ file: 'index.md', message: expect.stringMatching(/no "lastReviewed" date/) }),
        ],
      });
    } finally {
      live.close();
      content.cleanup();
    }
  });
});

describe('prose and sentences', () => {
  it('blank out markup that is not prose without moving anything', () => {
    const text = 'See [the page](https://a.example/x_(y) "t") and `a b c`, {{ contactEmail }} or <https://x.y/>.';
    const blanked = blankMarkup(text);
    expect(blanked).toHaveLength(text.length);
    expect(blanked).toBe(
      `See [the page]${' '.repeat(29)} and 0${' '.repeat(6)}, 0${' '.repeat(17)} or 0${' '.repeat(13)}.`,
    );
  });

  it('map block text back to the file, with list markers, quotes and indentation', () => {
    const blocks = bodyProse(createBlockParser(), '- first\n  second line\n\n> quoted\n', 5);
    expect(blocks.map((b) => [b.text, b.lines.map((l) => [l.line, l.column])])).toEqual([
      [
        'first\nsecond line',
        [
          [6, 3],
          [7, 3],
        ],
      ],
      ['quoted', [[9, 3]]],
    ]);
  });

  it('split sentences at full stops, not after abbreviations or inside numbers', () => {
    expect(sentencesOf('One two. Three, e.g. four 2.5 five! Six? "Seven." Eight').map((s) => s.words)).toEqual([
      2, 5, 1, 1, 1,
    ]);
  });

  it('stay linear on hostile text', () => {
    const body = `${'`a '.repeat(20_000)}${'](('.repeat(20_000)}${'"'.repeat(20_000)}${' word.'.repeat(20_000)}\n`;
    const started = performance.now();
    advice({ 'hostile.md': page('title: H\ndescription: D', body) });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
