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
}

/** Words in a snippet: about two lines of text on a wide screen. */
export const SNIPPET_WORDS = 30;
const ELLIPSIS = '…';

/** True when a (folded) word of the text is one of the words a search matched in the document. */
export function termMatcher(terms: Iterable<string>): (word: string) => boolean {
  const set = new Set(terms);
  return (word) => set.has(word);
}

/**
 * The window of `maxWords` words holding the most distinct matched words
 * (the earliest such window), found in one pass over the text.
 */
export function snippet(text: string, matches: (word: string) => boolean, processor: TermProcessor, maxWords = SNIPPET_WORDS): Snippet {
  const spans = processor.spans(text);
  if (spans.length === 0) return { parts: [], markedWords: 0 };
  const hit = spans.map((s) => matches(s.word));
  const counts = new Map<string, number>();
  let distinct = 0;
  let best = { start: 0, distinct: -1 };
  for (let end = 0; end < spans.length; end++) {
    if (hit[end]) {
      const n = (counts.get(spans[end]!.word) ?? 0) + 1;
      counts.set(spans[end]!.word, n);
      if (n === 1) distinct++;
    }
    const start = end - maxWords + 1;
    if (start > 0 && hit[start - 1]) {
      const word = spans[start - 1]!.word;
      const n = counts.get(word)! - 1;
      counts.set(word, n);
      if (n === 0) distinct--;
    }
    // A window that starts on a matched word reads better than one that ends on it.
    if (distinct > best.distinct) best = { start: Math.max(0, start), distinct };
  }
  let first = best.start;
  // Start the window at its first matched word, so the reader sees it at once...
  if (best.distinct > 0) while (!hit[first]) first++;
  // ...but with a few words before it for context, and without running past the end.
  first = Math.max(0, Math.min(first - 4, spans.length - maxWords));
  const last = Math.min(spans.length, first + maxWords) - 1;
  return build(text, spans, hit, first, last);
}

function build(text: string, spans: readonly WordSpan[], hit: readonly boolean[], first: number, last: number): Snippet {
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
  let at = first === 0 ? 0 : spans[first]!.start;
  let markedWords = 0;
  for (let i = first; i <= last; i++) {
    const span = spans[i]!;
    push(text.slice(at, span.start), false);
    push(text.slice(span.start, span.end), hit[i]!);
    if (hit[i]) markedWords++;
    at = span.end;
  }
  // Closing punctuation right after the last word (a full stop, a bracket) stays.
  const tail = /^[^\s\p{L}\p{N}]{1,3}/u.exec(text.slice(at))?.[0] ?? '';
  push(tail, false);
  if (last < spans.length - 1) push(` ${ELLIPSIS}`, false);
  return { parts, markedWords };
}
