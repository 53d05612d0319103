import { describe, expect, it } from 'vitest';
import { termProcessor } from '../../src/search/language.js';
import { snippet, termMatcher } from '../../src/search/snippet.js';

const en = termProcessor('en-GB');
const text = (parts: { text: string; marked: boolean }[]) =>
  parts.map((p) => (p.marked ? `[${p.text}]` : p.text)).join('');

describe('snippets', () => {
  it('marks the matched words in the stretch of text that has most of them', () => {
    const long =
      `${'Filler words here. '.repeat(40)}The regional perinatal dataset lists ` +
      `data items. ${'More filler. '.repeat(40)}`;
    const s = snippet(long, termMatcher(['regional', 'dataset']), en, { maxWords: 12 });
    expect(text(s.parts)).toBe(
      '… Filler words here. The [regional] perinatal [dataset] lists data items. More filler. …',
    );
    expect(s.markedWords).toBe(2);
  });

  it('starts at the beginning when the text opens with a match, and shows the opening when nothing matches', () => {
    expect(text(snippet('Dataset of the region.', termMatcher(['dataset']), en).parts)).toBe(
      '[Dataset] of the region.',
    );
    expect(text(snippet('Nothing to see.', termMatcher(['dataset']), en).parts)).toBe('Nothing to see.');
  });

  it('keeps markup in the text as text: parts are plain strings for the template or the DOM to escape', () => {
    const s = snippet('<script>alert(1)</script> dataset & <b>bold</b>', termMatcher(['dataset']), en);
    expect(s.parts.map((p) => p.text).join('')).toContain('<script>alert(1)</script>');
    expect(s.parts.find((p) => p.marked)?.text).toBe('dataset');
  });

  it('stops reading once a window holds as many matched words as the query has, and still knows text follows', () => {
    const long = `The dataset begins here. ${'More words follow. '.repeat(20_000)}`;
    const started = performance.now();
    const s = snippet(long, termMatcher(['dataset']), en, { maxWords: 8, enough: 1 });
    expect(performance.now() - started).toBeLessThan(50);
    expect(text(s.parts)).toBe('The [dataset] begins here. More words follow. More …');
  });

  it('takes one pass over a long text', () => {
    const huge = 'word '.repeat(200_000);
    const started = performance.now();
    snippet(huge, termMatcher(['word']), en);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
