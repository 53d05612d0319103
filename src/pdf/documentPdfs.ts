/**
 * Which PDFs are made from their document page's text, and how: shared by
 * the build script and by the test that checks committed PDFs are current.
 * It works on content the one loader has loaded and validated, so every
 * problem in the pages is reported like any other, with file and line.
 */
import { documentIdForSource } from '../content/documents.js';
import { formatLongDate } from '../content/dates.js';
import type { Diagnostic } from '../content/diagnostics.js';
import { splitFrontMatter } from '../content/frontMatter.js';
import type { LoadedContent } from '../content/loadContent.js';
import { placeholderValues } from '../content/placeholders.js';
import { renderPdf } from './markdownPdf.js';

export interface GeneratedPdf {
  /** Path relative to the content folder. */
  path: string;
  render(): Promise<Buffer>;
}

export type GeneratedPdfs = { ok: true; pdfs: GeneratedPdf[] } | { ok: false; diagnostics: Diagnostic[] };

/**
 * Every document file marked `generatedFromPage`, drafts included. Refused
 * only when the settings or a document page could not be read: other errors
 * (a PDF not made yet, say) are not the generator's to fix.
 */
export function generatedPdfs(content: LoadedContent): GeneratedPdfs {
  const { folder, build } = content;
  const parsed = new Set(build.sourcePages.map(({ page }) => page.source));
  const unreadable = (file: string) => file === 'site.yml' || (documentIdForSource(file) !== null && !parsed.has(file));
  const blocking = build.diagnostics.filter((d) => d.severity === 'error' && unreadable(d.file));
  const settings = build.settings;
  if (!folder || !settings || blocking.length > 0)
    return { ok: false, diagnostics: blocking.length > 0 ? blocking : build.diagnostics };
  const labels = settings.labels.documents;
  const texts = new Map(folder.entries.map((e) => [e.path, e.bytes]));
  const pdfs: GeneratedPdf[] = [];
  for (const { page } of build.sourcePages) {
    const fm = page.document;
    if (!fm) continue;
    // The page parsed, so its body splits and its placeholders are known.
    const split = splitFrontMatter(texts.get(page.source)?.toString('utf8') ?? '');
    if (!split.ok) continue;
    for (const file of fm.files) {
      if (!file.generatedFromPage) continue;
      pdfs.push({
        path: page.source.replace(/index\.md$/, file.file),
        render: () =>
          renderPdf({
            title: fm.title,
            subject: fm.description,
            language: settings.language,
            author: settings.organisation.name,
            keywords: fm.category,
            published: fm.published,
            ...(fm.updated ? { updated: fm.updated } : {}),
            intro: [
              fm.summary,
              ...(fm.originalDate && labels.originalDate
                ? [labels.originalDate.split('{date}').join(fm.originalDate)]
                : []),
              fm.updated && fm.updated !== fm.published
                ? `${labels.published} ${formatLongDate(fm.published)}. ` +
                  `${labels.lastUpdated} ${formatLongDate(fm.updated)}.`
                : `${labels.published} ${formatLongDate(fm.published)}`,
            ],
            markdown: split.value.body,
            placeholders: placeholderValues(settings),
          }),
      });
    }
  }
  return { ok: true, pdfs };
}
