/**
 * Which PDFs are made from their document page's text, and how: shared by
 * the build script and by the test that checks committed PDFs are current.
 */
import { SETTINGS_FILE } from '../content/buildSite.js';
import { formatLongDate } from '../content/dates.js';
import { documentIdForSource } from '../content/documents.js';
import { documentFrontMatterSchema } from '../content/documentSchema.js';
import { splitFrontMatter } from '../content/frontMatter.js';
import { substitutePlaceholders } from '../content/placeholders.js';
import type { ContentFolder } from '../content/readContentFolder.js';
import { siteSettingsSchema } from '../content/schema.js';
import { validateYaml } from '../content/validate.js';
import { parseYaml } from '../content/yaml.js';
import { fill } from '../render/documentViews.js';
import { renderPdf } from './markdownPdf.js';

export interface GeneratedPdf {
  /** Path relative to the content folder. */
  path: string;
  render(): Promise<Buffer>;
}

export class PdfSourceError extends Error {}

export function generatedPdfs(folder: ContentFolder): GeneratedPdf[] {
  const text = (p: string) => {
    const entry = folder.entries.find((e) => e.path === p && e.kind === 'file');
    if (!entry?.bytes) throw new PdfSourceError(`${p} is missing`);
    return entry.bytes.toString('utf8');
  };
  const parsedSettings = parseYaml(text(SETTINGS_FILE));
  if (!parsedSettings.ok) throw new PdfSourceError(`${SETTINGS_FILE}: ${parsedSettings.problems[0]!.message}`);
  const settings = validateYaml(siteSettingsSchema, parsedSettings.value, SETTINGS_FILE);
  if (!settings.ok) throw new PdfSourceError(`${SETTINGS_FILE}:${settings.diagnostics[0]!.line}: ${settings.diagnostics[0]!.message}`);

  const out: GeneratedPdf[] = [];
  for (const entry of folder.entries) {
    if (documentIdForSource(entry.path) === null) continue;
    const split = splitFrontMatter(text(entry.path));
    if (!split.ok) throw new PdfSourceError(`${entry.path}:${split.problems[0]!.line}: ${split.problems[0]!.message}`);
    const fm = validateYaml(documentFrontMatterSchema, split.value.frontMatter, entry.path);
    if (!fm.ok) throw new PdfSourceError(`${entry.path}:${fm.diagnostics[0]!.line}: ${fm.diagnostics[0]!.message}`);
    const body = substitutePlaceholders(split.value.body, settings.value, entry.path, split.value.bodyLineOffset);
    if (body.diagnostics.length > 0) throw new PdfSourceError(`${entry.path}:${body.diagnostics[0]!.line}: ${body.diagnostics[0]!.message}`);
    const folderPath = entry.path.replace(/index\.md$/, '');
    const labels = settings.value.labels.documents;
    for (const file of fm.value.files) {
      if (!file.generatedFromPage) continue;
      out.push({
        path: `${folderPath}${file.file}`,
        render: () =>
          renderPdf({
            title: fm.value.title,
            subject: fm.value.description,
            language: settings.value.language,
            author: settings.value.organisation.name,
            keywords: fm.value.category,
            published: fm.value.published,
            ...(fm.value.updated ? { updated: fm.value.updated } : {}),
            intro: [
              fm.value.summary,
              ...(fm.value.originalDate && labels.originalDate ? [fill(labels.originalDate, { date: fm.value.originalDate })] : []),
              fm.value.updated && fm.value.updated !== fm.value.published
                ? `${labels.published} ${formatLongDate(fm.value.published)}. ${labels.lastUpdated} ${formatLongDate(fm.value.updated)}.`
                : `${labels.published} ${formatLongDate(fm.value.published)}`,
            ],
            markdown: body.body,
          }),
      });
    }
  }
  return out;
}
