/**
 * Remembers parsed pages between builds, so that a rebuild after one edit
 * parses one file, not four thousand.
 *
 * An entry is reused when the file's path and bytes (compared by hash) and
 * the site settings it was parsed against are the same. A reused entry
 * returns the very same Page object, which lets the renderer tell changed
 * pages from unchanged ones by identity.
 */
import { ContentCache, type BuildCache } from './contentCache.js';
import type { Diagnostic } from './diagnostics.js';
import type { DocumentPageSource } from './documents.js';
import type { InvalidPage } from './links.js';
import type { Page } from './model.js';

export interface ParsedPage {
  page: Page | null;
  diagnostics: Diagnostic[];
  /** For a page whose front matter has errors: its links, checked like any page's meanwhile. */
  invalid?: InvalidPage;
  /** Set for a document's own page. */
  document?: DocumentPageSource;
}

/** What a build needs of a cache of parsed pages. */
export type ParsedPageCache = BuildCache<ParsedPage>;

/** Parsed pages by path, keyed by the site settings they were parsed against. */
export class PageCache extends ContentCache<ParsedPage> {}
