/**
 * Remembers parsed pages between builds, so that a rebuild after one edit
 * parses one file, not four thousand.
 *
 * An entry is reused when the file's path and bytes (compared by hash) and
 * the site settings it was parsed against are the same. A reused entry
 * returns the very same Page object, which lets the renderer tell changed
 * pages from unchanged ones by identity.
 */
import { createHash } from 'node:crypto';
import type { Diagnostic } from './diagnostics.js';
import type { DocumentPageSource } from './documents.js';
import type { Page } from './model.js';

export interface ParsedPage {
  page: Page | null;
  diagnostics: Diagnostic[];
  /** Set for a document's own page. */
  document?: DocumentPageSource;
}

interface Entry {
  bytes: Buffer;
  hash: string;
  settingsKey: string;
  parsed: ParsedPage;
}

/** What a build needs of a cache of parsed pages. */
export interface ParsedPageCache {
  beginBuild(): void;
  get(path: string, bytes: Buffer, settingsKey: string, parse: () => ParsedPage): ParsedPage;
  endBuild(): void;
}

export class PageCache implements ParsedPageCache {
  private entries = new Map<string, Entry>();
  private seen = new Set<string>();
  hits = 0;
  misses = 0;

  /** The parsed page for these bytes, from the cache or from `parse`. */
  get(path: string, bytes: Buffer, settingsKey: string, parse: () => ParsedPage): ParsedPage {
    this.seen.add(path);
    const cached = this.entries.get(path);
    if (cached && cached.settingsKey === settingsKey) {
      // The same Buffer means the file was not re-read; otherwise compare content.
      if (cached.bytes === bytes) {
        this.hits++;
        return cached.parsed;
      }
      const hash = hashOf(bytes);
      if (cached.hash === hash) {
        cached.bytes = bytes;
        this.hits++;
        return cached.parsed;
      }
    }
    this.misses++;
    const parsed = parse();
    this.entries.set(path, { bytes, hash: hashOf(bytes), settingsKey, parsed });
    return parsed;
  }

  /** Call before a build; `endBuild` then forgets files the build did not see (deleted or renamed). */
  beginBuild(): void {
    this.seen.clear();
    this.hits = 0;
    this.misses = 0;
  }

  endBuild(): void {
    for (const path of this.entries.keys()) if (!this.seen.has(path)) this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The same cache for a trial build (validating an edit before it is
   * saved): it reuses parsed pages but keeps and forgets nothing.
   */
  readOnly(): ParsedPageCache {
    return {
      beginBuild: () => undefined,
      endBuild: () => undefined,
      get: (path, bytes, settingsKey, parse) => {
        const cached = this.entries.get(path);
        if (cached && cached.settingsKey === settingsKey && (cached.bytes === bytes || cached.hash === hashOf(bytes))) return cached.parsed;
        return parse();
      },
    };
  }
}

function hashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url');
}
