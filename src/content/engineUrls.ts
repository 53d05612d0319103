/**
 * Addresses the engine serves by itself, beside the content's pages. A page
 * in the content folder at one of them would never be shown (or would hide
 * the engine's page), so the content check refuses it.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Page } from './model.js';

export const SEARCH_URL = '/search/';
/** The search index the static export's search page loads (the live server answers it too). */
export const SEARCH_INDEX_URL = '/search/index.json';
export const A_TO_Z_URL = '/a-z/';
export const FEED_URL = '/feed.xml';
/** Fingerprinted stylesheets, scripts and images. */
export const ASSETS_PREFIX = '/assets/';

/** Engine addresses a page may link to like any page. */
export const ENGINE_LINK_TARGETS: readonly string[] = [SEARCH_URL, A_TO_Z_URL, FEED_URL];

const RESERVED_PAGE_URLS = new Map<string, string>([
  [SEARCH_URL, 'the site search'],
  [A_TO_Z_URL, 'the A to Z list'],
  [ASSETS_PREFIX, 'stylesheets, scripts and images'],
]);

export function checkEngineUrls(pages: Iterable<Page>, diagnostics: Diagnostic[]): void {
  for (const page of pages) {
    const use = RESERVED_PAGE_URLS.get(page.url) ?? (page.url.startsWith(ASSETS_PREFIX) ? RESERVED_PAGE_URLS.get(ASSETS_PREFIX) : undefined);
    if (use) {
      diagnostics.push(diagnostic(page.source, `the web address ${page.url} is used by ${use}, so this page could never be shown: rename the file or its folder`));
    }
  }
}
