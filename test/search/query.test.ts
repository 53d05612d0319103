import { describe, expect, it } from 'vitest';
import { termProcessor } from '../../src/search/language.js';
import { parsePageNumber, parseQuery, QUERY_LIMITS } from '../../src/search/query.js';

const en = termProcessor('en-GB');

describe('parsing a query', () => {
  it('splits, folds and de-duplicates words, leaving stop words out', () => {
    expect(parseQuery('  The Regional  regional DATASET ', en)).toEqual({
      kind: 'ok',
      text: 'The Regional regional DATASET',
      words: ['regional', 'dataset'],
    });
  });

  it('treats an empty or blank query as no query', () => {
    expect(parseQuery('', en)).toEqual({ kind: 'empty' });
    expect(parseQuery(' \t\u200b ', en)).toEqual({ kind: 'empty' });
  });

  it('refuses a query over the character limit with the limit to show, without splitting it', () => {
    const long = 'a'.repeat(QUERY_LIMITS.maxCharacters + 1);
    expect(parseQuery(long, en)).toMatchObject({ kind: 'tooLong', max: QUERY_LIMITS.maxCharacters });
    expect(parseQuery('a'.repeat(QUERY_LIMITS.maxCharacters), en).kind).toBe('ok');
  });

  it('answers a 10,000-character query and a 1,000-word query at once, showing back only what fits', () => {
    const started = performance.now();
    const huge = parseQuery('x'.repeat(10_000), en);
    const manyWords = parseQuery(Array.from({ length: 1000 }, (_, i) => `w${i}`).join(' '), en);
    expect(performance.now() - started).toBeLessThan(50);
    expect(huge).toMatchObject({ kind: 'tooLong' });
    expect(huge.kind === 'tooLong' && huge.text.length).toBe(QUERY_LIMITS.maxCharacters);
    expect(manyWords.kind).toBe('tooLong');
  });

  it('refuses more words than the limit, counted as typed', () => {
    const words = Array.from({ length: QUERY_LIMITS.maxWords + 1 }, (_, i) => `w${i}`).join(' ');
    expect(parseQuery(words, en)).toMatchObject({ kind: 'tooManyWords', max: QUERY_LIMITS.maxWords });
  });

  it(
    'keeps only words from hostile input: operators, quotes, wildcards, ' +
      'markup and control characters are not syntax',
    () => {
      const hostile = [
        '"dataset" AND -report',
        'data* ~2 ^10 field:title',
        '<script>alert(1)</script>',
        '__proto__ constructor',
        '\u0000\u001b[2Jreset\u202eevil',
        '((((((((((a',
      ];
      expect(hostile.map((q) => parseQuery(q, en))).toEqual([
        { kind: 'ok', text: '"dataset" AND -report', words: ['dataset', 'report'] },
        { kind: 'ok', text: 'data* ~2 ^10 field:title', words: ['data', '2', '10', 'field', 'title'] },
        { kind: 'ok', text: '<script>alert(1)</script>', words: ['script', 'alert', '1'] },
        { kind: 'ok', text: '__proto__ constructor', words: ['proto', 'constructor'] },
        { kind: 'ok', text: '[2Jreset evil', words: ['2jreset', 'evil'] },
        { kind: 'ok', text: '((((((((((a', words: [] },
      ]);
    },
  );

  it('reads a results page number only when it is a plain whole number, up to the limit', () => {
    expect(['2', '0', '-1', '1.5', '2e3', ' 3', 'abc', '', null, '99999'].map(parsePageNumber)).toEqual([
      2, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ]);
    expect(parsePageNumber('5000')).toBe(QUERY_LIMITS.maxPage);
  });
});
