/**
 * The search index, defined once for the server and the browser: which
 * fields are indexed, how each is weighted, and how the words of a parsed
 * query become a query tree for MiniSearch. Changing a weight here changes
 * the ranking in both places.
 *
 * Ranking is MiniSearch's BM25+ with field boosts: a word in the title counts
 * several times a word in the body, so a page about a thing comes before a
 * page that mentions it. Every word of a query must match, in one of these
 * ways (best first): as written; as another form of the same word (English
 * stemming: "indicators" finds "indicator"); as the start of a longer word,
 * for the last word typed; or, for a word of five letters or more that no
 * page holds in any form (a misspelling), with one typo. Typo matching only
 * where it is needed keeps real words from matching their neighbours
 * ("trust" is not "truss") and is the costliest part of a search.
 *
 * Words are indexed as written (folded). The other forms of a word are found
 * through a table of stems kept beside the index, which costs far less than
 * indexing every stem as a second term and scoring it twice.
 */
import MiniSearch, { type Query } from 'minisearch';
import { MAX_TERM_LENGTH, type TermProcessor } from './language.js';

export const SEARCH_FIELDS = ['title', 'summary', 'headings', 'files', 'body'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** The static export ships an index without body text: with it, the file would be several times larger. */
export const EXPORT_FIELDS: readonly SearchField[] = ['title', 'summary', 'headings', 'files'];

export const FIELD_BOOSTS: Readonly<Record<SearchField, number>> = {
  title: 6,
  summary: 2,
  headings: 2,
  files: 2,
  body: 1,
};

/** Shortest word matched with one typo, and shortest last word matched as the start of longer words. */
export const FUZZY_MIN_LENGTH = 5;
export const PREFIX_MIN_LENGTH = 3;
/**
 * Weight of another form of a word ("indicator" for "indicators") against the
 * form typed. Low enough that another form which is also one typo away (and
 * so counted twice) still ranks below the form typed.
 */
const OTHER_FORM_WEIGHT = 0.5;

/** What is indexed for one page or document. `body` may be computed only when the index reads it. */
export interface SearchDocument {
  /** The page's address. */
  id: string;
  title: string;
  summary: string;
  headings: string;
  /** Document file titles and names, and the column names of CSV files. */
  files: string;
  body?: string | (() => string);
}

export interface Hit {
  id: string;
  score: number;
  /** The words in the document that matched (folded), for marking them in snippets. */
  terms: string[];
}

export class SearchEngine {
  readonly processor: TermProcessor;
  private readonly index: MiniSearch<SearchDocument>;
  /**
   * Every indexed word by its stem: the other forms a query word can match. Only grows (a stale form matches nothing).
   */
  private readonly forms = new Map<string, Set<string>>();

  constructor(processor: TermProcessor, fields: readonly SearchField[] = SEARCH_FIELDS) {
    this.processor = processor;
    this.index = new MiniSearch<SearchDocument>({
      idField: 'id',
      fields: [...fields],
      storeFields: [],
      tokenize: (text) => processor.words(text),
      processTerm: (word) => this.indexTerm(word),
      extractField: (doc, field) => {
        const value = doc[field as keyof SearchDocument];
        return typeof value === 'function' ? value() : (value ?? '');
      },
      searchOptions: {
        // Queries arrive as trees of finished words (queryFor below): nothing is split or changed again.
        tokenize: (word) => [word],
        processTerm: (word) => word,
        boost: { ...FIELD_BOOSTS },
      },
    });
  }

  get documentCount(): number {
    return this.index.documentCount;
  }

  add(doc: SearchDocument): void {
    this.index.add(doc);
  }

  /** Takes a document out of results at once; its entries are cleaned up later, in small batches. */
  discard(id: string): void {
    this.index.discard(id);
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  /** Ranked hits for the folded words of a parsed query; `keep` filters addresses. */
  search(words: readonly string[], keep: (id: string) => boolean = () => true): Hit[] {
    const query = this.queryFor(words);
    if (!query) return [];
    const hits: Hit[] = [];
    for (const result of this.index.search(query)) {
      const id = String(result.id);
      // MiniSearch multiplies a score by the number of query terms matched. Every
      // word matched (AND), so that number counts only how many forms of a word
      // (typed, other form, typo) a page happens to hold: divide it back out.
      if (keep(id)) hits.push({ id, score: result.score / Math.max(1, result.queryTerms.length), terms: result.terms });
    }
    return hits.sort((a, b) => b.score - a.score);
  }

  /** The query tree for a parsed query's words; null when there is nothing to look for. */
  queryFor(words: readonly string[]): Query | null {
    if (words.length === 0) return null;
    return {
      combineWith: 'AND',
      queries: words.map((word, i): Query => {
        const forms = this.forms.get(this.processor.stem(word));
        const asTyped: Query = {
          queries: [word],
          prefix: i === words.length - 1 && word.length >= PREFIX_MIN_LENGTH,
          // A word longer than any indexed word by two or more cannot match, even with a typo.
          fuzzy:
            forms === undefined && word.length >= FUZZY_MIN_LENGTH && word.length <= MAX_TERM_LENGTH + 1 ? 1 : false,
        };
        const others = [...(forms ?? [])].filter((w) => w !== word);
        if (others.length === 0) return asTyped;
        return {
          combineWith: 'OR',
          queries: [
            asTyped,
            { combineWith: 'OR', queries: others, prefix: false, fuzzy: false, boostTerm: () => OTHER_FORM_WEIGHT },
          ],
        };
      }),
    };
  }

  private indexTerm(word: string): string | null {
    if (!this.processor.indexable(word)) return null;
    const stem = this.processor.stem(word);
    let forms = this.forms.get(stem);
    if (!forms) this.forms.set(stem, (forms = new Set()));
    forms.add(word);
    return word;
  }
}
