/**
 * Long sentences. The NHS.UK and GOV.UK content guides ask for short
 * sentences: a sentence over about 25 words is hard to take in at once,
 * more so for a reader who is anxious, unwell or reading in a second
 * language. Advice only: a warning at the sentence's first word.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { positionIn, WORD, type ProseBlock } from './prose.js';

export const SENTENCE_LENGTH_RULE = 'sentence-length';
export const DEFAULT_MAX_SENTENCE_WORDS = 25;

/** Words that end with a full stop without ending the sentence. */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'eg',
  'ie',
  'etc',
  'vs',
  'cf',
  'approx',
  'dr',
  'mr',
  'mrs',
  'ms',
  'prof',
  'st',
]);

/**
 * A sentence ends at ".", "!", "?" or "…", perhaps followed by closing quotes or brackets, then a space or line break.
 */
const SENTENCE_END = /[.!?…]+[)\]"'”’*_]*(?=\s)/g;

export interface Sentence {
  /** Offset of its first word in the block's text. */
  start: number;
  words: number;
}

/** The sentences of a block of prose, with their word counts. One pass over the words, one over the full stops. */
export function sentencesOf(text: string): Sentence[] {
  const ends = [...text.matchAll(SENTENCE_END)].map((m) => m.index);
  const sentences: Sentence[] = [];
  let current: Sentence | null = null;
  let next = 0;
  let previousWord = '';
  let previousEnd = 0;
  for (const m of text.matchAll(WORD)) {
    // Every sentence end between the last word and this one closes the sentence, unless it follows an abbreviation.
    let ended = false;
    while (next < ends.length && ends[next]! < m.index) {
      if (
        ends[next]! >= previousEnd &&
        !(ends[next] === previousEnd && text[previousEnd] === '.' && ABBREVIATIONS.has(previousWord.toLowerCase()))
      )
        ended = true;
      next++;
    }
    if (current && ended) {
      sentences.push(current);
      current = null;
    }
    if (!current) current = { start: m.index, words: 0 };
    current.words++;
    previousWord = m[0];
    previousEnd = m.index + m[0].length;
  }
  if (current) sentences.push(current);
  return sentences;
}

export function checkSentenceLength(file: string, blocks: readonly ProseBlock[], maxWords: number): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const block of blocks) {
    for (const sentence of sentencesOf(block.text)) {
      if (sentence.words <= maxWords) continue;
      diagnostics.push({
        ...diagnostic(
          file,
          `this sentence has ${sentence.words} words: keep sentences to ` +
            `${maxWords} words or fewer, so they are easy to read. Split it, or make ` +
            `a list`,
          positionIn(block, sentence.start),
          'warning',
        ),
        rule: SENTENCE_LENGTH_RULE,
      });
    }
  }
  return diagnostics;
}
