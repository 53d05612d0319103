/**
 * What the search indexes for each published page of a site model: its
 * title, its description (a document's summary), its headings, its body
 * text, and for a document the titles and names of its files and the column
 * names of its CSV files. The model decides what is published: a public
 * model holds no drafts, the preview's does.
 */
import type { LibraryDocument, Page, SiteModel } from '../content/model.js';
import type { SearchDocument } from './engine.js';
import { textFromHtml } from './text.js';

/** The document a page is the page of, if any. */
export function documentOf(model: SiteModel, page: Page): LibraryDocument | undefined {
  return page.documentId === undefined ? undefined : model.library.documents.get(page.documentId);
}

/** The short text shown under a result: a document's summary, or a page's description. */
export function summaryOf(model: SiteModel, page: Page): string {
  return documentOf(model, page)?.frontMatter.summary ?? page.frontMatter.description;
}

function filesText(doc: LibraryDocument | undefined): string {
  if (!doc) return '';
  return doc.files
    .map((f) => [f.title, f.name.replace(/[-_.]+/g, ' '), ...(f.table?.header ?? [])].join('\n'))
    .join('\n');
}

/** The search document of a page; its body text is extracted only when the index reads it. */
export function searchDocument(model: SiteModel, page: Page): SearchDocument {
  const doc = documentOf(model, page);
  const summary = doc ? `${doc.frontMatter.summary}\n${page.frontMatter.description}` : page.frontMatter.description;
  return {
    id: page.url,
    title: page.frontMatter.title,
    summary,
    headings: page.headings.map((h) => h.text).join('\n'),
    files: filesText(doc),
    body: () => textFromHtml(page.bodyHtml),
  };
}

/**
 * What a page's search document depends on beyond the Page object itself
 * (the page cache hands back the same object for an unchanged file): the
 * files of its document, which can change while its index.md does not.
 */
export function searchDependencyKey(model: SiteModel, page: Page): string {
  const doc = documentOf(model, page);
  if (!doc) return '';
  return JSON.stringify([doc.frontMatter.summary, doc.files.map((f) => [f.name, f.title, f.sha256])]);
}

/** The pages search covers: every routable page of the model (never the "not found" and error pages). */
export function searchablePages(model: SiteModel): Page[] {
  return [...model.pages.values()].filter((p) => p.role === 'page');
}

/** Texts a result's snippet may come from, best first: summary, body, headings, file words. */
export function snippetTexts(model: SiteModel, page: Page): string[] {
  const doc = searchDocument(model, page);
  const body = typeof doc.body === 'function' ? doc.body() : (doc.body ?? '');
  return [summaryOf(model, page), body, doc.headings, doc.files];
}
