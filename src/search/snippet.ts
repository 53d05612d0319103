/**
 * A snippet: the stretch of a page's text with the most matched words, as
 * plain-text parts, each marked or not. Nothing here is HTML: the server's
 * template and the browser's script put each part into the page as text
 * (escaped, or as a text node), so words from content or from a query can
 * never become markup.
 *
 * Shared by the server and the browser.
 */
import type { TermProcessor, WordSpan } from './language.js';

export interface SnippetPart {
  text: string;
  marked: boolean;
}

export interface Snippet {
  parts: SnippetPart[];
  /** How many words in the snippet are marked (0 when the text has none of the matched words). */
  markedWords: number;
  /** How many different matched words the snippet holds. */
  distinctWords: number;
}

/** Words in a snippet: about two lines of text on a wide screen. */
export const SNIPPET_WORDS = 30;
/** A snippet comes from the first this many words of a text: a very long page costs no more than a long one. */
export const SNIPPET_SCAN_WORDS = 2000;
const ELLIPSIS = '…';

/** True when a (folded) word of the text is one of the words a search matched in the document. */
export function termMatcher(terms: Iterable<string>): (word: string) => boolean {
  const set = new Set(terms);
  return (word) => set.has(word);
}

/**
 * The window of `maxWords` words holding the most distinct matched words
 * (the earliest such window). Two passes over the text, the first keeping
 * only the matched words, the second only the window's: a long page costs
 * little more than reading it.
 */
export function snippet(
  text: string,
  matches: (word: string) => boolean,
  processor: TermProcessor,
  options: { maxWords?: number; enough?: number } = {},
): Snippet {
  const maxWords = options.maxWords ?? SNIPPET_WORDS;
  const enough = options.enough ?? Infinity;
  // Slide a window of maxWords words over the matches as they are found,
  // counting distinct matched words in it; stop early once a window has
  // `enough` of them (as many as the query has words).
  const hitAt: number[] = [];
  const hitWord: string[] = [];
  const counts = new Map<string, number>();
  let distinct = 0;
  let begin = 0;
  let bestFirstHit = -1;
  let bestDistinct = 0;
  let words = 0;
  /**
   * Once a window is good enough, words are only counted, up to a window's length further (is there text after it?).
   */
  let stopAt = Infinity;
  processor.eachWord(text, (word) => {
    const at = words++;
    if (at >= stopAt) return false;
    if (at >= SNIPPET_SCAN_WORDS && stopAt === Infinity) stopAt = Math.max(at + 1, bestFirstHit + maxWords + 1);
    if (stopAt !== Infinity || !matches(word)) return true;
    hitAt.push(at);
    hitWord.push(word);
    const n = (counts.get(word) ?? 0) + 1;
    counts.set(word, n);
    if (n === 1) distinct++;
    while (at - hitAt[begin]! >= maxWords) {
      const left = counts.get(hitWord[begin]!)! - 1;
      counts.set(hitWord[begin]!, left);
      if (left === 0) distinct--;
      begin++;
    }
    if (distinct > bestDistinct) {
      bestDistinct = distinct;
      bestFirstHit = hitAt[begin]!;
      if (distinct >= enough) stopAt = at + maxWords + 1;
    }
    return true;
  });
  if (words === 0) return { parts: [], markedWords: 0, distinctWords: 0 };
  // Start a few words before the first matched word, for context, without running past the end.
  const first = bestFirstHit < 0 ? 0 : Math.max(0, Math.min(bestFirstHit - 4, words - maxWords));
  const last = Math.min(words, first + maxWords) - 1;

  const spans: WordSpan[] = [];
  let index = 0;
  processor.eachWord(text, (word, start, end) => {
    if (index >= first) spans.push({ start, end, word });
    return ++index <= last;
  });
  return {
    ...build(
      text,
      spans,
      spans.map((s) => matches(s.word)),
      first,
      words,
    ),
    distinctWords: bestDistinct,
  };
}

function build(
  text: string,
  spans: readonly WordSpan[],
  hit: readonly boolean[],
  first: number,
  words: number,
): Omit<Snippet, 'distinctWords'> {
  const parts: SnippetPart[] = [];
  const push = (s: string, marked: boolean) => {
    const clean = s.replace(/\s+/g, ' ');
    if (clean === '') return;
    const previous = parts[parts.length - 1];
    if (previous && previous.marked === marked) previous.text += clean;
    else parts.push({ text: clean, marked });
  };
  if (first > 0) push(`${ELLIPSIS} `, false);
  // From the very start of the text, keep what stands before the first word (a quote, a bracket).
  let at = first === 0 ? 0 : spans[0]!.start;
  let markedWords = 0;
  spans.forEach((span, i) => {
    push(text.slice(at, span.start), false);
    push(text.slice(span.start, span.end), hit[i]!);
    if (hit[i]) markedWords++;
    at = span.end;
  });
  // Closing punctuation right after the last word (a full stop, a bracket) stays.
  const tail = /^[^\s\p{L}\p{N}]{1,3}/u.exec(text.slice(at, at + 3))?.[0] ?? '';
  push(tail, false);
  if (first + spans.length < words) push(` ${ELLIPSIS}`, false);
  return { parts, markedWords };
}
