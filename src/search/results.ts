/**
 * A page of search results as plain data: the count line, the results with
 * their snippets, and the pagination. The server renders it with its
 * templates; the static export's search page fills the same markup in the
 * browser. Every word comes from the site's labels.
 *
 * Shared by the server and the browser.
 */
import type { SearchLabels } from './labels.js';
import type { Hit } from './engine.js';
import type { TermProcessor } from './language.js';
import { snippet, termMatcher, type SnippetPart } from './snippet.js';

export const RESULTS_PER_PAGE = 10;

/** What a results page needs to know about a hit's page. */
export interface ResultSource {
  title: string;
  isDocument: boolean;
  /** Texts a snippet may come from, best first (summary, body, headings...): read only for the results shown. */
  texts: () => string[];
}

export interface ResultView {
  url: string;
  /** The address as shown under the title: the site's host and the path. */
  displayUrl: string;
  title: string;
  isDocument: boolean;
  snippet: SnippetPart[];
}

export interface PaginationItem {
  number?: number;
  href?: string;
  label?: string;
  current?: boolean;
  /** A gap between page numbers ("…"). */
  gap?: boolean;
}

export interface PaginationView {
  previous: string | null;
  next: string | null;
  items: PaginationItem[];
}

export interface ResultsView {
  total: number;
  /** "12 results for ‘dataset’", "No results for ‘x’". */
  summary: string;
  page: number;
  pages: number;
  /** Position of the first result shown, counting from 1 (for the list's `start`). */
  first: number;
  items: ResultView[];
  pagination: PaginationView | null;
}

/** Replaces {name} in a label with plain text (templates and the DOM escape it). */
export function fillLabel(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (match, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : match,
  );
}

/** The address of a results page: /search/?q=...&page=n (page 1 has no page parameter). */
export function searchHref(searchUrl: string, query: string, page: number): string {
  const params = new URLSearchParams({ q: query });
  if (page > 1) params.set('page', String(page));
  return `${searchUrl}?${params.toString()}`;
}

export function countSummary(
  labels: SearchLabels,
  total: number,
  query: string,
  formatCount: (n: number) => string,
): string {
  if (total === 0) return fillLabel(labels.noResults, { query });
  if (total === 1) return fillLabel(labels.oneResult, { query });
  return fillLabel(labels.resultCount, { count: formatCount(total), query });
}

/** Page numbers to offer: the first, the last, and those next to the current one, with gaps. */
export function pageNumbers(current: number, pages: number): (number | null)[] {
  const shown = [...new Set([1, current - 1, current, current + 1, pages])]
    .filter((n) => n >= 1 && n <= pages)
    .sort((a, b) => a - b);
  const out: (number | null)[] = [];
  for (const n of shown) {
    const previous = out[out.length - 1];
    if (typeof previous === 'number' && n - previous === 2) out.push(n - 1);
    else if (typeof previous === 'number' && n - previous > 2) out.push(null);
    out.push(n);
  }
  return out;
}

export interface ResultsInput {
  hits: readonly Hit[];
  /** The page asked for; one past the last is shown as the last. */
  page: number;
  query: string;
  searchUrl: string;
  /** Shown before each result's path, e.g. "www.example.org". */
  host: string;
  /** Writes the number of results the site's way ("1,234"): an Intl.NumberFormat made once, not per page. */
  formatCount: (n: number) => string;
  labels: SearchLabels;
  processor: TermProcessor;
  lookup: (url: string) => ResultSource | undefined;
}

export function resultsView(input: ResultsInput): ResultsView {
  const total = input.hits.length;
  const pages = Math.max(1, Math.ceil(total / RESULTS_PER_PAGE));
  const page = Math.min(Math.max(1, input.page), pages);
  const from = (page - 1) * RESULTS_PER_PAGE;
  const items: ResultView[] = [];
  // A snippet holding one matched word for each word searched for is as good as it gets.
  const queryWords = new Set(input.processor.words(input.query).filter((w) => !input.processor.isStopWord(w))).size;
  for (const hit of input.hits.slice(from, from + RESULTS_PER_PAGE)) {
    const source = input.lookup(hit.id);
    if (!source) continue;
    items.push({
      url: hit.id,
      displayUrl: `${input.host}${hit.id}`,
      title: source.title,
      isDocument: source.isDocument,
      snippet: bestSnippet(source.texts(), hit.terms, input.processor, queryWords),
    });
  }
  const href = (n: number) => searchHref(input.searchUrl, input.query, n);
  const pagination =
    pages > 1
      ? {
          previous: page > 1 ? href(page - 1) : null,
          next: page < pages ? href(page + 1) : null,
          items: pageNumbers(page, pages).map((n): PaginationItem =>
            n === null
              ? { gap: true }
              : {
                  number: n,
                  href: href(n),
                  label: fillLabel(input.labels.pageNumber, { page: String(n) }),
                  current: n === page,
                },
          ),
        }
      : null;
  return {
    total,
    summary: countSummary(input.labels, total, input.query, input.formatCount),
    page,
    pages,
    first: from + 1,
    items,
    pagination,
  };
}

/**
 * False only when an ASCII text holds none of the terms anywhere (in any
 * letter case); texts with other characters are always read, since folding
 * them can change how a word is spelt.
 */
function mayContain(text: string, terms: readonly string[]): boolean {
  if (/[^\u0000-\u007f]/.test(text)) return true;
  const lower = text.toLowerCase();
  return terms.some((term) => lower.includes(term));
}

/**
 * The snippet with the most different matched words among the texts, best
 * text first; the first text's opening when none has any.
 */
export function bestSnippet(
  texts: readonly string[],
  terms: readonly string[],
  processor: TermProcessor,
  queryWords = Infinity,
): SnippetPart[] {
  const matches = termMatcher(terms);
  let best: ReturnType<typeof snippet> | null = null;
  for (const text of texts) {
    if (!text) continue;
    // A text that plainly holds none of the words is not read word by word (only its opening may be needed).
    if (best !== null && !mayContain(text, terms)) continue;
    const candidate = snippet(text, matches, processor, { enough: queryWords });
    if (best === null || candidate.distinctWords > best.distinctWords) best = candidate;
    // One holding every word searched for is as good as it gets: the texts after it are not read.
    if (best.distinctWords >= queryWords) break;
  }
  return best?.parts ?? [];
}
