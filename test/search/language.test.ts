import { describe, expect, it } from 'vitest';
import { fold, MAX_TERM_LENGTH, termProcessor } from '../../src/search/language.js';

describe('words for the index', () => {
  const en = termProcessor('en-GB');

  it('folds case, accents and ligatures, and keeps apostrophes inside a word out', () => {
    expect(fold('Café ÆRØ Straße')).toBe('cafe aerø strasse');
    expect(en.words("Women's health, the midwives’ survey: 5 KPIs (2c)")).toEqual([
      'womens',
      'health',
      'the',
      'midwives',
      'survey',
      '5',
      'kpis',
      '2c',
    ]);
    // A decomposed accent (e + combining acute) stays part of its word.
    expect(en.words('cafe\u0301 menu')).toEqual(['cafe', 'menu']);
  });

  it('finds each word with its place in the text, for marking', () => {
    const text = 'The <b>Regional</b> dataset';
    const found: [string, string][] = [];
    en.eachWord(text, (word, start, end) => void found.push([text.slice(start, end), word]));
    expect(found).toEqual([
      ['The', 'the'],
      ['b', 'b'],
      ['Regional', 'regional'],
      ['b', 'b'],
      ['dataset', 'dataset'],
    ]);
  });

  it('stems English words so that forms of a word meet, and leaves numbers alone', () => {
    expect(en.stem('indicators')).toBe(en.stem('indicator'));
    expect(en.stem('midwives')).not.toBe('midwives');
    expect(en.stem('2011')).toBe('2011');
  });

  it('leaves stop words and overlong tokens out of the index, in English only', () => {
    expect(en.indexable('the')).toBe(false);
    expect(en.indexable('dataset')).toBe(true);
    expect(en.indexable('x'.repeat(MAX_TERM_LENGTH + 1))).toBe(false);
    const cy = termProcessor('cy-GB');
    expect(cy.indexable('the')).toBe(true);
    expect(cy.stem('indicators')).toBe('indicators');
  });
});

describe('ASCII and other text', () => {
  it('finds the same words in a text whether or not it holds other characters', () => {
    const en = termProcessor('en-GB');
    const ascii = "Women's 5 KPIs, the 2c project's data-set (2011) and O'Neill.";
    const withAccent = `${ascii} é`;
    expect([...en.words(ascii), 'e']).toEqual(en.words(withAccent));
    const seen: string[] = [];
    en.eachWord(ascii, (w) => void seen.push(w));
    expect(seen).toEqual(en.words(ascii));
  });
});
