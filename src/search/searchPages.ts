/**
 * The search page of a rendered site: on the live server it shows results
 * (searchPage); in the static export it is the form and a script that
 * searches an index file in the browser (searchExportFiles). Both sit in the
 * site's layout and take every word from the site's labels.
 */
import { A_TO_Z_URL, SEARCH_INDEX_URL, SEARCH_URL } from '../content/engineUrls.js';
import type { Page, SiteModel } from '../content/model.js';
import type { CompressionOptions } from '../render/prepared.js';
import { PreparedResponse } from '../render/prepared.js';
import type { RenderedSite } from '../render/renderedSite.js';
import { documentOf } from './documents.js';
import type { Hit } from './engine.js';
import { clientIndexJson } from './exportIndex.js';
import type { TermProcessor } from './language.js';
import { parsePageNumber, parseQuery, type ParsedQuery } from './query.js';
import { fillLabel, resultsView, type ResultsView } from './results.js';

const HTML = 'text/html; charset=utf-8';

/** A results page is made for one request: compressed quickly, not kept. */
const ONE_OFF_COMPRESSION: CompressionOptions = { brotliQuality: 4, gzipLevel: 6, keepIdentity: true };

/** The index that answers live searches (a LiveSearchIndex). */
export interface SearchSource {
  /** False until the index holds a whole version: the page then asks visitors to try again shortly. */
  readonly ready: boolean;
  readonly processor: TermProcessor;
  search(words: readonly string[], model: SiteModel): Hit[];
  /** The texts a result's snippet may come from, best first. */
  snippetTexts(model: SiteModel, page: Page): string[];
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

function hostOf(siteUrl: string): string {
  try {
    return new URL(siteUrl).host;
  } catch {
    return '';
  }
}

function render(site: RenderedSite, title: string, search: SearchPageState): string {
  return site.enginePages.render(
    { url: SEARCH_URL, title, description: site.model.settings.labels.search.title },
    { template: 'search.njk', context: { search, atoZUrl: A_TO_Z_URL } },
  );
}

/** GET /search/?q=...&page=n on the live server; `rawQuery` null when the address has no q. */
export function searchPage(
  site: RenderedSite,
  index: SearchSource,
  rawQuery: string | null,
  rawPage: string | null,
): SearchAnswer {
  const model = site.model;
  const labels = model.settings.labels.search;
  const parsed: ParsedQuery = rawQuery === null ? { kind: 'empty' } : parseQuery(rawQuery, index.processor);
  const state: SearchPageState = { mode: 'live', query: '', host: hostOf(site.enginePages.siteUrl) };
  let title = labels.title;
  if (parsed.kind === 'tooLong' || parsed.kind === 'tooManyWords') {
    state.query = parsed.text;
    state.error = fillLabel(parsed.kind === 'tooLong' ? labels.tooLong : labels.tooManyWords, {
      max: String(parsed.max),
    });
    title = `${labels.errorPrefix}: ${labels.title}`;
  } else if (parsed.kind === 'ok') {
    state.query = parsed.text;
    if (!index.ready) {
      state.preparing = true;
      return {
        status: 503,
        response: new PreparedResponse(render(site, title, state), HTML, ONE_OFF_COMPRESSION),
        retryAfter: 5,
      };
    }
    const results = resultsView({
      hits: index.search(parsed.words, model),
      page: parsePageNumber(rawPage),
      query: parsed.text,
      searchUrl: SEARCH_URL,
      host: state.host,
      formatCount: (n) => site.enginePages.formatNumber(n),
      labels,
      processor: index.processor,
      lookup: (url) => {
        const page = model.pages.get(url);
        return page
          ? {
              title: page.frontMatter.title,
              isDocument: documentOf(model, page) !== undefined,
              texts: () => index.snippetTexts(model, page),
            }
          : undefined;
      },
    });
    state.results = results;
    title =
      results.pages > 1
        ? fillLabel(labels.resultsPageTitle, { page: String(results.page), pages: String(results.pages) })
        : labels.resultsTitle;
  }
  return { status: 200, response: new PreparedResponse(render(site, title, state), HTML, ONE_OFF_COMPRESSION) };
}

/** The static export's /search/ page: the form, and a script that searches the index file. */
export function exportSearchPage(site: RenderedSite): Buffer {
  const state: SearchPageState = {
    mode: 'export',
    query: '',
    indexUrl: SEARCH_INDEX_URL,
    host: hostOf(site.enginePages.siteUrl),
  };
  return Buffer.from(render(site, site.model.settings.labels.search.title, state), 'utf8');
}

/** The export's search files: its search page and the index file that page loads. */
export function searchExportFiles(site: RenderedSite): { url: string; contentType: string; body: () => Buffer }[] {
  return [
    { url: SEARCH_URL, contentType: HTML, body: () => exportSearchPage(site) },
    {
      url: SEARCH_INDEX_URL,
      contentType: 'application/json; charset=utf-8',
      body: () => Buffer.from(clientIndexJson(site.model), 'utf8'),
    },
  ];
}
