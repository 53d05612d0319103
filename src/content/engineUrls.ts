/**
 * Addresses the engine serves by itself, beside the content's pages. Pages
 * may link to the search, the A to Z list and the feed like to any page;
 * no page can sit at them (RESERVED_SECTIONS in buildSite.ts).
 */
export const SEARCH_URL = '/search/';
/** The search index the static export's search page loads. */
export const SEARCH_INDEX_URL = '/search/index.json';
export const A_TO_Z_URL = '/a-z/';
export const FEED_URL = '/feed.xml';

/** Engine addresses a page, or a link in the site settings, may link to like any page. */
export const ENGINE_LINK_TARGETS: ReadonlySet<string> = new Set([SEARCH_URL, A_TO_Z_URL, FEED_URL]);
