/**
 * The pages that help visitors find things, rendered for one content
 * version: the search page (live results, or the static export's version
 * that searches in the browser), the A to Z list, the Atom feed and the
 * export's search index file. All but the live results are made once, when
 * first asked for, and kept for the life of the version, like pages.
 */
import { A_TO_Z_URL, SEARCH_INDEX_URL, SEARCH_URL } from '../content/engineUrls.js';
import type { Page, SiteModel } from '../content/model.js';
import { documentOf, snippetTexts } from '../search/documents.js';
import type { Hit } from '../search/engine.js';
import { clientIndexJson } from '../search/exportIndex.js';
import type { TermProcessor } from '../search/language.js';
import { parsePageNumber, parseQuery, type ParsedQuery } from '../search/query.js';
import { fillLabel, resultsView, type ResultsView } from '../search/results.js';
import { atoZGroups } from './atoZ.js';
import { FEED_CONTENT_TYPE, renderFeed } from './feed.js';
import { PreparedResponse, type CompressionOptions } from './prepared.js';
import { renderPage, type RenderContext } from './renderPage.js';

const HTML = 'text/html; charset=utf-8';

/** A results page is made for one request: compressed quickly, not kept. */
const ONE_OFF_COMPRESSION: CompressionOptions = { brotliQuality: 4, gzipLevel: 6, keepIdentity: true };

/** The index that answers live searches (see search/liveIndex.ts). */
export interface SearchSource {
  /** False until the index holds a whole version: the page then asks visitors to try again shortly. */
  readonly ready: boolean;
  readonly processor: TermProcessor;
  search(words: readonly string[], model: SiteModel): Hit[];
}

export interface SearchAnswer {
  status: number;
  response: PreparedResponse;
  /** Seconds after which to try again (with status 503). */
  retryAfter?: number;
}

interface SearchPageState {
  mode: 'live' | 'export';
  query: string;
  error?: string;
  preparing?: boolean;
  results?: ResultsView;
  indexUrl?: string;
  host: string;
}

export class FindPages {
  private atoZResponse: PreparedResponse | undefined;
  private feedResponse: PreparedResponse | undefined;
  private indexResponse: PreparedResponse | undefined;
  private numberFormat: Intl.NumberFormat | undefined;

  constructor(
    private readonly ctx: RenderContext,
    private readonly index: SearchSource,
  ) {}

  private get model(): SiteModel {
    return this.ctx.site;
  }

  /** GET /search/?q=...&page=n on the live server. */
  searchPage(rawQuery: string | null, rawPage: string | null): SearchAnswer {
    const processor = this.index.processor;
    const parsed: ParsedQuery = rawQuery === null ? { kind: 'empty' } : parseQuery(rawQuery, processor);
    const labels = this.model.settings.labels.search;
    const state: SearchPageState = { mode: 'live', query: '', host: this.host() };
    let title = labels.title;
    if (parsed.kind === 'tooLong' || parsed.kind === 'tooManyWords') {
      state.query = parsed.text;
      state.error = fillLabel(parsed.kind === 'tooLong' ? labels.tooLong : labels.tooManyWords, { max: String(parsed.max) });
      title = `${labels.errorPrefix}: ${labels.title}`;
    } else if (parsed.kind === 'ok') {
      state.query = parsed.text;
      if (!this.index.ready) {
        state.preparing = true;
        const html = this.render(title, state);
        return { status: 503, response: new PreparedResponse(html, HTML, ONE_OFF_COMPRESSION), retryAfter: 5 };
      }
      const hits = this.index.search(parsed.words, this.model);
      const results = resultsView({
        hits,
        page: parsePageNumber(rawPage),
        query: parsed.text,
        searchUrl: SEARCH_URL,
        host: state.host,
        formatCount: (n) => (this.numberFormat ??= new Intl.NumberFormat(this.model.settings.language)).format(n),
        labels,
        processor,
        lookup: (url) => {
          const page = this.model.pages.get(url);
          return page ? { title: page.frontMatter.title, isDocument: documentOf(this.model, page) !== undefined, texts: () => snippetTexts(this.model, page) } : undefined;
        },
      });
      state.results = results;
      title = results.pages > 1 ? fillLabel(labels.resultsPageTitle, { page: String(results.page), pages: String(results.pages) }) : labels.resultsTitle;
    }
    return { status: 200, response: new PreparedResponse(this.render(title, state), HTML, ONE_OFF_COMPRESSION) };
  }

  /** The static export's /search/ page: the form, and a script that searches the index file. */
  exportSearchPage(): Buffer {
    const html = this.render(this.model.settings.labels.search.title, { mode: 'export', query: '', indexUrl: SEARCH_INDEX_URL, host: this.host() });
    return Buffer.from(html, 'utf8');
  }

  get atoZ(): PreparedResponse {
    this.atoZResponse ??= new PreparedResponse(
      renderPage(this.ctx, this.enginePage(A_TO_Z_URL, this.model.settings.labels.atoZ.title, this.model.settings.labels.atoZ.description), {
        template: 'a-z.njk',
        context: { atoZ: { groups: atoZGroups(this.model) } },
      }),
      HTML,
    );
    return this.atoZResponse;
  }

  get feed(): PreparedResponse {
    this.feedResponse ??= new PreparedResponse(renderFeed(this.model, this.ctx.siteUrl), FEED_CONTENT_TYPE);
    return this.feedResponse;
  }

  /** /search/index.json: what the export's search page loads. */
  get searchIndex(): PreparedResponse {
    this.indexResponse ??= new PreparedResponse(clientIndexJson(this.model), 'application/json; charset=utf-8');
    return this.indexResponse;
  }

  private render(title: string, search: SearchPageState): string {
    return renderPage(this.ctx, this.enginePage(SEARCH_URL, title, this.model.settings.labels.search.title), {
      template: 'search.njk',
      context: { search, atoZUrl: A_TO_Z_URL },
    });
  }

  /** A page of the engine's own, shaped like a content page so that it gets the site's layout. */
  private enginePage(url: string, title: string, description: string): Page {
    return { source: '', url, role: 'page', frontMatter: { title, description }, bodyHtml: '', headings: [], links: [] };
  }

  private host(): string {
    try {
      return new URL(this.ctx.siteUrl).host;
    } catch {
      return '';
    }
  }
}
