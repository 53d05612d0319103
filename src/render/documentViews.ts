/**
 * What the templates need to show documents: attachment blocks in the
 * GOV.UK attachment pattern, the library listing and data tables. Every
 * word comes from the site settings' labels; every fact from the files.
 */
import { formatLongDate } from '../content/dates.js';
import { groupByCategory } from '../content/documents.js';
import type { DocumentFile, LibraryDocument } from '../content/model.js';
import type { Page, SiteModel } from '../content/model.js';
import type { SiteSettings } from '../content/schema.js';

type DocumentLabels = SiteSettings['labels']['documents'];

export interface AttachmentView {
  href: string;
  /** File name offered to the browser's download. */
  fileName: string;
  linkText: string;
  abbreviation: string;
  typeName: string;
  size: string;
  pageCount: string | null;
  checksum: string | null;
  /** A CSV file with cells spreadsheet programs would run as formulas. */
  hasFormulas: boolean;
}

export interface TableView {
  id: string;
  caption: string;
  header: string[];
  rows: string[][];
  truncatedNote: string | null;
}

export interface DocumentView {
  title: string;
  url: string;
  summary: string;
  /** When the original was published or what period it covers, in the site's words ("Original document: 2011"). */
  originalDate: string | null;
  published: DateView;
  updated: DateView | null;
  changeNotes: { date: DateView; note: string }[];
  attachments: AttachmentView[];
  tables: TableView[];
}

interface DateView {
  iso: string;
  text: string;
}

export interface DocumentContext {
  template: string;
  context: Record<string, unknown>;
}

/** Extra template data for a page: its own document, the documents it cites, or the whole library. */
export function documentContext(site: SiteModel, page: Page, libraryUrl: string): DocumentContext {
  const labels = site.settings.labels.documents;
  const email = site.settings.contactEmail;
  const view = (doc: LibraryDocument) => documentView(doc, labels);
  const context: Record<string, unknown> = {
    accessibleFormatHelp: accessibleFormatHelpHtml(labels.accessibleFormatHelp, email),
  };
  if (page.documentId) {
    const doc = site.library.documents.get(page.documentId);
    if (doc) return { template: 'document.njk', context: { ...context, document: view(doc) } };
  }
  const cited = (page.frontMatter.documents ?? [])
    .map((id) => site.library.documents.get(id))
    .filter((d): d is LibraryDocument => !!d);
  context.relatedDocuments = [...new Set(cited)].map(view);
  if (page.role === 'page' && page.url === libraryUrl) {
    context.library = groupByCategory(site.library.documents.values()).map((g) => ({
      category: g.category,
      documents: g.documents.map(view),
    }));
  }
  return { template: 'page.njk', context };
}

export function documentView(doc: LibraryDocument, labels: DocumentLabels): DocumentView {
  const fm = doc.frontMatter;
  return {
    title: fm.title,
    url: doc.url,
    summary: fm.summary,
    originalDate: fm.originalDate && labels.originalDate ? fill(labels.originalDate, { date: fm.originalDate }) : null,
    published: dateView(fm.published),
    updated: fm.updated && fm.updated !== fm.published ? dateView(fm.updated) : null,
    changeNotes: [...(fm.changeNotes ?? [])]
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
      .map((n) => ({ date: dateView(n.date), note: n.note })),
    attachments: doc.files.map((f) => attachmentView(f, labels)),
    tables: doc.files.flatMap((f, i) => (f.table ? [tableView(f, `table-${i + 1}`, labels)] : [])),
  };
}

export function attachmentView(file: DocumentFile, labels: DocumentLabels): AttachmentView {
  const size = formatFileSize(file.size, labels);
  return {
    href: file.url,
    fileName: file.name,
    linkText: fill(labels.download, { title: file.title, format: file.type.abbreviation, size }),
    abbreviation: file.type.abbreviation,
    typeName: labels.fileTypes[file.type.kind],
    size,
    pageCount:
      file.pageCount === null
        ? null
        : file.pageCount === 1
          ? labels.onePage
          : fill(labels.pageCount, { count: String(file.pageCount) }),
    checksum: file.type.isData ? file.sha256 : null,
    hasFormulas: file.formulas !== undefined,
  };
}

function tableView(file: DocumentFile, id: string, labels: DocumentLabels): TableView {
  const table = file.table!;
  return {
    id,
    caption: fill(labels.tableCaption, { file: file.name }),
    header: table.header,
    rows: table.rows,
    truncatedNote:
      table.totalRows > table.rows.length
        ? fill(labels.tableTruncated, { shown: String(table.rows.length), total: String(table.totalRows) })
        : null,
  };
}

/** "4 KB", "1.2 MB", "312 bytes": the way GOV.UK and NHS.UK write file sizes. */
export function formatFileSize(bytes: number, labels: Pick<DocumentLabels, 'bytes'>): string {
  if (bytes < 1024) return fill(labels.bytes, { count: String(bytes) });
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1).replace(/\.0$/, '') : Math.round(mb)} MB`;
}

function dateView(iso: string): DateView {
  return { iso, text: formatLongDate(iso) };
}

/** Replaces {name} in a label. Values are plain text; templates escape them. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z]+)\}/g, (match, name: string) => values[name] ?? match);
}

/** The help text with the contact email as a mailto link; everything else escaped. */
export function accessibleFormatHelpHtml(template: string, email: string): string {
  const link = `<a href="mailto:${escapeHtml(email)}">${escapeHtml(email)}</a>`;
  return template.split('{email}').map(escapeHtml).join(link);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
