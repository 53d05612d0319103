/**
 * The index file of the static export's search page (/search/index.json):
 * the light fields of every page (no body text, to keep the file small),
 * from which the browser builds the same index, with the same ranking, as
 * the server would for those fields.
 *
 * Shared by the server (which writes the file) and the browser (which reads
 * it, checking its shape rather than trusting it).
 */
import { EXPORT_FIELDS, SearchEngine } from './engine.js';
import { termProcessor } from './language.js';

export const CLIENT_INDEX_VERSION = 1;

/** One page: address, title, summary, headings, file words, and 1 for a document's page. */
export type ClientIndexEntry = [
  url: string,
  title: string,
  summary: string,
  headings: string,
  files: string,
  isDocument: 0 | 1,
];

export interface ClientIndex {
  version: typeof CLIENT_INDEX_VERSION;
  language: string;
  entries: ClientIndexEntry[];
}

function isEntry(value: unknown): value is ClientIndexEntry {
  return (
    Array.isArray(value) &&
    value.length === 6 &&
    value.slice(0, 5).every((v) => typeof v === 'string') &&
    typeof value[0] === 'string' &&
    value[0].startsWith('/') &&
    (value[5] === 0 || value[5] === 1)
  );
}

/** The index file's contents, or null when it is not one (another version, or damaged). */
export function readClientIndex(json: unknown): ClientIndex | null {
  if (!json || typeof json !== 'object') return null;
  const { version, language, entries } = json as Record<string, unknown>;
  if (
    version !== CLIENT_INDEX_VERSION ||
    typeof language !== 'string' ||
    !Array.isArray(entries) ||
    !entries.every(isEntry)
  )
    return null;
  return { version, language, entries };
}

export interface LoadedClientIndex {
  engine: SearchEngine;
  byUrl: Map<string, ClientIndexEntry>;
}

export function loadClientIndex(index: ClientIndex): LoadedClientIndex {
  const engine = new SearchEngine(termProcessor(index.language), EXPORT_FIELDS);
  const byUrl = new Map<string, ClientIndexEntry>();
  for (const entry of index.entries) {
    if (byUrl.has(entry[0])) continue;
    byUrl.set(entry[0], entry);
    engine.add({ id: entry[0], title: entry[1], summary: entry[2], headings: entry[3], files: entry[4] });
  }
  return { engine, byUrl };
}
