/**
 * How text becomes search terms: words split out, folded (lowercase, accents
 * removed) and, for English, stemmed so that "indicators" finds "indicator".
 * Shared by the server's index and the browser's, so both see the same words.
 *
 * Words are indexed as written (folded), which keeps prefix matching while a
 * word is being typed and typo tolerance working (stems would defeat both:
 * "indicatr" and "indicators" stem to unrelated strings); stems find the
 * other forms of a word (see engine.ts).
 */
import { stemmer } from 'stemmer';

/** Longer tokens are not words (hashes, run-together text): indexing them only costs memory. */
export const MAX_TERM_LENGTH = 40;

/** Words that say nothing about a page; left out of the index and of queries. English only. */
const ENGLISH_STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on ' +
    'or so than that the their then there these ' +
    'they this to was were will with'
  ).split(' '),
);

export interface WordSpan {
  /** Where the word is in the text (UTF-16 offsets), for marking it. */
  start: number;
  end: number;
  /** The word folded: lowercase, without accents or apostrophes. */
  word: string;
}

export interface TermProcessor {
  /** The words of a text, folded, in order (stop words included). */
  words(text: string): string[];
  /**
   * Calls `visit` for each word in order with its place in the text (for marking), without building a list. Stops when
   * it returns false.
   */
  eachWord(text: string, visit: (word: string, start: number, end: number) => boolean | void): void;
  /** False for words left out of the index: stop words and overlong tokens. */
  indexable(word: string): boolean;
  /** The stem of a folded word (the word itself where the language has no stemmer). */
  stem(word: string): string;
  isStopWord(word: string): boolean;
}

/**
 * Letters (with their accents) and digits; an apostrophe inside a word ("women's") is dropped rather than splitting it.
 */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*(?:['’][\p{L}\p{M}\p{N}]+)*/gu;
/** The same words in a text that is all ASCII, found several times faster (and with nothing to fold but case). */
const ASCII_WORD = /[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*/g;

const NON_ASCII = /[^\u0000-\u007f]/;
const APOSTROPHES = /['’]/g;
const COMBINING_MARKS = /\p{M}+/gu;

/** Lowercase, without accents or ligatures: "Ærø Café" -> "aerø cafe" (ø has no decomposition). */
export function fold(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ß/g, 'ss');
}

function foldWord(word: string): string {
  const folded = fold(word);
  return folded.includes("'") || folded.includes('’') ? folded.replace(APOSTROPHES, '') : folded;
}

/** A word from an ASCII text: only its case and any apostrophe to drop. */
function foldAsciiWord(word: string): string {
  const lower = word.toLowerCase();
  return lower.includes("'") ? lower.replace(APOSTROPHES, '') : lower;
}

/**
 * The term processor for a site's language tag (site.yml `language`). Only
 * English has a stemmer and stop words; other languages get exact words with
 * prefix and typo matching. Stems are remembered, up to a bound, because the
 * same few thousand words come back on every page.
 */
export function termProcessor(language: string): TermProcessor {
  const english = /^en(?:-|$)/i.test(language);
  const stems = new Map<string, string>();
  const stem = (word: string): string => {
    if (!english) return word;
    let stemmed = stems.get(word);
    if (stemmed === undefined) {
      stemmed = /^\p{N}/u.test(word) ? word : stemmer(word);
      if (stems.size >= 100_000) stems.clear();
      stems.set(word, stemmed);
    }
    return stemmed;
  };
  const isStopWord = (word: string) => english && ENGLISH_STOP_WORDS.has(word);
  // One matcher of each kind per processor: eachWord runs for every snippet, and no visitor calls it again while it
  // runs.
  const wordPattern = new RegExp(WORD.source, WORD.flags);
  const asciiPattern = new RegExp(ASCII_WORD.source, ASCII_WORD.flags);
  return {
    words(text) {
      const ascii = !NON_ASCII.test(text);
      const found = text.match(ascii ? ASCII_WORD : WORD);
      return found ? found.map(ascii ? foldAsciiWord : foldWord) : [];
    },
    eachWord(text, visit) {
      const ascii = !NON_ASCII.test(text);
      const pattern = ascii ? asciiPattern : wordPattern;
      const foldOne = ascii ? foldAsciiWord : foldWord;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
        if (visit(foldOne(m[0]), m.index, m.index + m[0].length) === false) return;
      }
    },
    indexable: (word) => word.length <= MAX_TERM_LENGTH && !isStopWord(word),
    stem,
    isStopWord,
  };
}
