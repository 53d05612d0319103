/**
 * The search index of a live site, kept in step with its content versions.
 *
 * Each new version is compared with what the index holds, page by page (the
 * page cache hands back the same Page object for an unchanged file, so the
 * comparison is by identity and costs one pass): only new, changed and
 * removed pages are indexed again. The work runs in short slices between
 * requests, never in one block: a first build of thousands of pages, or a
 * settings change that touches every page, does not hold up a visitor.
 *
 * Until the first build has finished the index says it is not ready (the
 * search page then asks the visitor to try again in a moment). After that,
 * searches are answered at once, from an index at most a few slices behind
 * the version being served; results are always checked against that
 * version, so a page that has gone is never offered.
 */
import type { Page, SiteModel } from '../content/model.js';
import { searchablePages, searchDependencyKey, searchDocument, snippetTexts } from './documents.js';
import { SearchEngine, type Hit } from './engine.js';
import { termProcessor, type TermProcessor } from './language.js';

export interface LiveSearchIndexOptions {
  /** Longest stretch of indexing between two turns of the event loop. */
  sliceMs?: number;
  /** Runs the next slice later; setImmediate by default, so waiting I/O (requests) goes first. */
  schedule?: (next: () => void) => void;
  /** Told when a page could not be indexed; the page is then left out, the rest go on. */
  onError?: (url: string, error: unknown) => void;
}

/** Pages whose snippet texts are kept (a few MB at most). */
const SNIPPET_TEXTS_KEPT = 512;

interface Indexed {
  page: Page;
  key: string;
}

export class LiveSearchIndex {
  private language = '';
  private processor_: TermProcessor = termProcessor('');
  private index = new SearchEngine(this.processor_);
  private readonly indexed = new Map<string, Indexed>();
  private target: SiteModel | null = null;
  /** Addresses to bring in step with the target, in order; those before `next` are done. */
  private queue: string[] = [];
  private next = 0;
  private scheduled = false;
  private built = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly texts = new Map<Page, { key: string; texts: string[] }>();
  private readonly sliceMs: number;
  private readonly schedule: (next: () => void) => void;
  private readonly onError: (url: string, error: unknown) => void;

  constructor(options: LiveSearchIndexOptions = {}) {
    this.sliceMs = options.sliceMs ?? 8;
    // Not unref'd: an unref'd immediate does not wake an idle event loop, so
    // slices would wait for the next request or timer. close() stops the work.
    this.schedule = options.schedule ?? ((next) => void setImmediate(next));
    this.onError = options.onError ?? (() => undefined);
  }

  get processor(): TermProcessor {
    return this.processor_;
  }

  /** True once the index has held a complete version; searches are answered from then on. */
  get ready(): boolean {
    return this.built;
  }

  /** Pages waiting to be indexed or removed. */
  get pending(): number {
    return this.queue.length - this.next;
  }

  /** Brings the index in step with a new version, in the background. */
  sync(model: SiteModel): void {
    this.retarget(model);
    this.kick();
  }

  /** Brings the index in step with a version now, in one go: for small sites, exports and tests. */
  syncNow(model: SiteModel): void {
    this.retarget(model);
    while (this.pending > 0) this.step();
    this.settle();
  }

  /** Resolves when no indexing is left to do. */
  whenIdle(): Promise<void> {
    if (this.pending === 0 && this.target !== null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ranked hits for folded query words, limited to pages of `model` (the version being served). */
  search(words: readonly string[], model: SiteModel): Hit[] {
    return this.index.search(words, (url) => model.pages.has(url));
  }

  /**
   * The texts a result's snippet comes from (see documents.ts), remembered for
   * the pages shown most recently: popular pages come up in result after
   * result, and turning their HTML back into text each time would be waste.
   */
  snippetTexts(model: SiteModel, page: Page): string[] {
    const key = searchDependencyKey(model, page);
    const cached = this.texts.get(page);
    if (cached && cached.key === key) {
      // Most recently used last: Map keeps insertion order.
      this.texts.delete(page);
      this.texts.set(page, cached);
      return cached.texts;
    }
    const texts = snippetTexts(model, page);
    this.texts.set(page, { key, texts });
    if (this.texts.size > SNIPPET_TEXTS_KEPT) this.texts.delete(this.texts.keys().next().value!);
    return texts;
  }

  /** Stops indexing (the live site is closing). */
  close(): void {
    this.closed = true;
    this.queue = [];
    this.next = 0;
  }

  private retarget(model: SiteModel): void {
    this.target = model;
    if (model.settings.language !== this.language) {
      // Another language means other terms: start again.
      this.language = model.settings.language;
      this.processor_ = termProcessor(this.language);
      this.index = new SearchEngine(this.processor_);
      this.indexed.clear();
      this.built = false;
    }
    const queue: string[] = [];
    const wanted = new Set<string>();
    for (const page of searchablePages(model)) {
      wanted.add(page.url);
      const held = this.indexed.get(page.url);
      if (!held || held.page !== page || held.key !== searchDependencyKey(model, page)) queue.push(page.url);
    }
    for (const url of this.indexed.keys()) if (!wanted.has(url)) queue.push(url);
    this.queue = queue;
    this.next = 0;
  }

  private kick(): void {
    if (this.scheduled || this.closed) return;
    if (this.pending === 0) {
      this.settle();
      return;
    }
    this.scheduled = true;
    this.schedule(() => {
      this.scheduled = false;
      if (this.closed) return;
      const until = performance.now() + this.sliceMs;
      do this.step();
      while (this.pending > 0 && performance.now() < until);
      this.kick();
    });
  }

  /** Brings one address in step with the target: indexed afresh, or removed. */
  private step(): void {
    const url = this.queue[this.next++]!;
    const model = this.target!;
    const page = model.pages.get(url);
    try {
      if (this.indexed.has(url)) {
        this.index.discard(url);
        this.indexed.delete(url);
      }
      if (page && page.role === 'page') {
        this.index.add(searchDocument(model, page));
        this.indexed.set(url, { page, key: searchDependencyKey(model, page) });
      }
    } catch (error) {
      this.onError(url, error);
    }
  }

  private settle(): void {
    this.built = true;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * The index of a single version, built in one go the first time it is
 * needed: for sites rendered once (an export, a test), where no reload
 * follows and nothing else waits on the thread.
 */
export function onDemandIndex(
  model: SiteModel,
): Pick<LiveSearchIndex, 'ready' | 'processor' | 'search' | 'snippetTexts'> {
  let index: LiveSearchIndex | null = null;
  const built = () => {
    if (!index) {
      index = new LiveSearchIndex();
      index.syncNow(model);
    }
    return index;
  };
  return {
    get ready() {
      return built().ready;
    },
    get processor() {
      return built().processor;
    },
    search: (words, forModel) => built().search(words, forModel),
    snippetTexts: (forModel, page) => built().snippetTexts(forModel, page),
  };
}
