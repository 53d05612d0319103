/**
 * What a visitor typed, made into data: limits checked first (so a huge
 * query costs nothing), then words split out and folded. The words reach the
 * index only as terms, never as syntax: the search engine is given a query
 * tree built here (see engine.ts), so quotes, operators, wildcards or
 * markup in a query are just characters between words.
 *
 * Shared by the server and the browser.
 */
import type { TermProcessor } from './language.js';

export const QUERY_LIMITS = {
  /** Characters, after trimming. Longer queries are refused with a message, not cut silently. */
  maxCharacters: 200,
  /** Words, counted as typed (stop words included). */
  maxWords: 20,
  /** The highest results page anyone is sent to. */
  maxPage: 100,
};

export type ParsedQuery =
  /** Nothing to search for: the search page shows just the form. */
  | { kind: 'empty' }
  | { kind: 'tooLong'; text: string; max: number }
  | { kind: 'tooManyWords'; text: string; max: number }
  /** `words`: folded, without stop words, each once; may be empty when only stop words were typed. */
  | { kind: 'ok'; text: string; words: string[] };

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]+/g;

/** The query as it is shown back to the visitor: control and direction characters become spaces, runs of space one. */
export function cleanQueryText(raw: string): string {
  return raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

export function parseQuery(raw: string, processor: TermProcessor): ParsedQuery {
  // Cheap checks first: a 10,000-character query is refused before any work proportional to it.
  if (raw.length > QUERY_LIMITS.maxCharacters * 4) {
    return {
      kind: 'tooLong',
      text: cleanQueryText(raw.slice(0, QUERY_LIMITS.maxCharacters)),
      max: QUERY_LIMITS.maxCharacters,
    };
  }
  const text = cleanQueryText(raw);
  if (text === '') return { kind: 'empty' };
  if ([...text].length > QUERY_LIMITS.maxCharacters) {
    return {
      kind: 'tooLong',
      text: [...text].slice(0, QUERY_LIMITS.maxCharacters).join(''),
      max: QUERY_LIMITS.maxCharacters,
    };
  }
  const typed = processor.words(text);
  if (typed.length > QUERY_LIMITS.maxWords) return { kind: 'tooManyWords', text, max: QUERY_LIMITS.maxWords };
  const words = [...new Set(typed.filter((w) => !processor.isStopWord(w)))];
  return { kind: 'ok', text, words };
}

/** A results page number from the address: 1 unless it is a plain whole number in range. */
export function parsePageNumber(raw: string | null | undefined): number {
  if (!raw || !/^[1-9]\d{0,3}$/.test(raw)) return 1;
  return Math.min(Number(raw), QUERY_LIMITS.maxPage);
}
