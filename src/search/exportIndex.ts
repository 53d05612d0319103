/** Writes the static export's search index (see clientIndex.ts) from a site model. */
import type { SiteModel } from '../content/model.js';
import { CLIENT_INDEX_VERSION, type ClientIndex } from './clientIndex.js';
import { searchablePages, searchDocument } from './documents.js';

export function clientIndexJson(model: SiteModel): string {
  const index: ClientIndex = {
    version: CLIENT_INDEX_VERSION,
    language: model.settings.language,
    entries: searchablePages(model).map((page) => {
      const doc = searchDocument(model, page);
      return [doc.id, doc.title, doc.summary, doc.headings, doc.files, page.documentId === undefined ? 0 : 1];
    }),
  };
  return JSON.stringify(index);
}
