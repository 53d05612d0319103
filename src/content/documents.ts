/**
 * The documents library: each folder content/documents/<id>/ with an
 * index.md is a document whose declared files can be downloaded. Pure, like
 * buildSite: it works on the entries already read, and reports every
 * problem at the file and line that staff need to change.
 */
import path from 'node:path';
import { parseCsv } from './csv.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { DocumentFrontMatter } from './documentSchema.js';
import { checkFileBytes, FILE_TYPES, kindFromName, pdfPageCount, sha256Hex, strongEtag } from './fileInfo.js';
import type { CsvTable, DocumentFile, Library, LibraryDocument, Page } from './model.js';
import type { ContentEntry } from './readContentFolder.js';
import { closestMatch } from './suggest.js';

export const DOCUMENTS_FOLDER = 'documents';
/** The page that lists every document. */
export const LIBRARY_URL = `/${DOCUMENTS_FOLDER}/`;
/** Rows of a CSV file shown as a table on its document's page. */
export const TABLE_PREVIEW_ROWS = 100;
/** Files are served from memory, so a runaway upload must not be. */
export const MAX_DOCUMENT_FILE_BYTES = 50 * 1024 * 1024;

const DOCUMENT_SOURCE = new RegExp(`^${DOCUMENTS_FOLDER}/([^/]+)/index\\.md$`);

/** content/documents/<id>/index.md → <id>; null for any other file. */
export function documentIdForSource(source: string): string | null {
  return DOCUMENT_SOURCE.exec(source)?.[1] ?? null;
}

export interface DocumentPageSource {
  page: Page;
  id: string;
  frontMatter: DocumentFrontMatter;
}

export function buildLibrary(
  input: {
    documentPages: readonly DocumentPageSource[];
    citingPages: readonly Page[];
    entries: readonly ContentEntry[];
    root: string;
  },
  diagnostics: Diagnostic[],
): Library {
  const entries = new Map(input.entries.map((e) => [e.path, e]));
  const documents = new Map<string, LibraryDocument>();
  const downloads = new Map<string, DocumentFile>();

  for (const { page, id, frontMatter } of input.documentPages) {
    const folder = `${DOCUMENTS_FOLDER}/${id}`;
    const files: DocumentFile[] = [];
    frontMatter.files.forEach((declared, index) => {
      const at = page.positions.at(['files', index, 'file']);
      const source = `${folder}/${declared.file}`;
      const entry = entries.get(source);
      const fail = (message: string) => diagnostics.push(diagnostic(page.source, message, at));
      if (!entry) {
        const here = input.entries.filter((e) => path.posix.dirname(e.path) === folder && e.path !== page.source).map((e) => path.posix.basename(e.path));
        const guess = closestMatch(declared.file, here);
        return fail(`the file "${declared.file}" is not in the folder ${folder}/: add it, or correct the name${guess ? ` (did you mean "${guess}"?)` : ''}`);
      }
      if (entry.kind === 'symlink') return fail(`"${declared.file}" is a symbolic link: put the real file in ${folder}/ instead`);
      if (entry.kind !== 'file' || !entry.bytes) return fail(`"${declared.file}" is not a regular file: put the real file in ${folder}/ instead`);
      const file = describeFile({ ...entry, bytes: entry.bytes }, { name: declared.file, source, url: `${page.url}${encodeURIComponent(declared.file)}`, title: declared.title ?? frontMatter.title }, input.root, fail, diagnostics);
      if (file) {
        files.push(file);
        downloads.set(`${page.url}${declared.file}`, file);
      }
    });
    const declaredNames = new Set(frontMatter.files.map((f) => f.file));
    for (const e of input.entries) {
      if (e.kind === 'file' && path.posix.dirname(e.path) === folder && e.path !== page.source && !declaredNames.has(path.posix.basename(e.path)) && !e.path.endsWith('.md')) {
        diagnostics.push(
          diagnostic(page.source, `${e.path} is not listed under "files", so visitors cannot download it: list it or move it out of the folder`, page.positions.at(['files']), 'warning'),
        );
      }
    }
    documents.set(id, { id, url: page.url, source: page.source, frontMatter, files });
  }

  for (const page of input.citingPages) {
    const cited = page.frontMatter.documents ?? [];
    const seen = new Set<string>();
    cited.forEach((id, index) => {
      const at = page.positions.at(['documents', index]);
      if (seen.has(id)) {
        diagnostics.push(diagnostic(page.source, `the document "${id}" is listed twice: keep only one`, at, 'warning'));
      } else if (!documents.has(id)) {
        const guess = closestMatch(id, [...documents.keys()]);
        const hint = guess ? ` Did you mean "${guess}"?` : documents.size > 0 ? ` Known documents: ${[...documents.keys()].join(', ')}.` : '';
        diagnostics.push(diagnostic(page.source, `there is no document "${id}": a document is a folder ${DOCUMENTS_FOLDER}/${id}/ with an index.md.${hint}`, at));
      }
      seen.add(id);
    });
  }
  return { documents, downloads };
}

function describeFile(
  entry: ContentEntry & { bytes: Buffer },
  names: { name: string; source: string; url: string; title: string },
  root: string,
  fail: (message: string) => void,
  diagnostics: Diagnostic[],
): DocumentFile | null {
  const bytes = entry.bytes;
  const kind = kindFromName(names.name);
  if (!kind) {
    fail(`"${names.name}" has a file type the library does not offer`);
    return null;
  }
  if (bytes.length === 0) {
    fail(`"${names.name}" is empty: replace it with the real file`);
    return null;
  }
  if (bytes.length > MAX_DOCUMENT_FILE_BYTES) {
    fail(`"${names.name}" is larger than ${MAX_DOCUMENT_FILE_BYTES / 1024 / 1024} MB: publish a smaller file or split it`);
    return null;
  }
  const sniffed = checkFileBytes(bytes, kind);
  if (!sniffed.ok) {
    fail(`"${names.name}" is named like a ${FILE_TYPES[kind].abbreviation} file but ${sniffed.reason}`);
    return null;
  }
  const pageCount = kind === 'pdf' ? pdfPageCount(bytes) : null;
  if (kind === 'pdf' && pageCount === null) {
    diagnostics.push(diagnostic(names.source, 'the number of pages could not be read from this PDF, so it is not shown: save it without compressed object streams', {}, 'warning'));
  }
  let table: CsvTable | undefined;
  if (kind === 'csv') {
    const parsed = parseCsv(new TextDecoder('utf-8').decode(bytes));
    if (!parsed.ok) {
      diagnostics.push(diagnostic(names.source, parsed.message, { line: parsed.line }));
      return null;
    }
    table = previewTable(parsed.rows, names.source, diagnostics) ?? undefined;
    if (!table) return null;
  }
  const file: DocumentFile = {
    ...names,
    type: FILE_TYPES[kind],
    size: bytes.length,
    sha256: sha256Hex(bytes),
    etag: strongEtag(bytes),
    pageCount,
    lastModified: new Date(Math.floor((entry.mtimeMs ?? 0) / 1000) * 1000),
    bytes,
    ...(table ? { table } : {}),
  };
  if (entry.identity) file.disk = { absolutePath: path.join(root, ...names.source.split('/')), root, identity: entry.identity };
  return file;
}

function previewTable(rows: string[][], source: string, diagnostics: Diagnostic[]): CsvTable | null {
  const [header, ...data] = rows;
  if (!header || header.every((h) => h.trim() === '')) {
    diagnostics.push(diagnostic(source, 'the first row must name the columns: add a header row'));
    return null;
  }
  const ragged = data.findIndex((r) => r.length !== header.length);
  if (ragged >= 0) {
    diagnostics.push(
      diagnostic(source, `row ${ragged + 2} has ${data[ragged]!.length} fields but the header has ${header.length}: every row needs the same number of columns`, {}, 'warning'),
    );
  }
  const pad = (r: string[]) => (r.length >= header.length ? r.slice(0, header.length) : [...r, ...Array<string>(header.length - r.length).fill('')]);
  return { header, rows: data.slice(0, TABLE_PREVIEW_ROWS).map(pad), totalRows: data.length };
}

/** Documents grouped by category (groups in alphabetical order), newest first within a group. */
export function groupByCategory(documents: Iterable<LibraryDocument>): { category: string; documents: LibraryDocument[] }[] {
  const groups = new Map<string, LibraryDocument[]>();
  for (const doc of documents) {
    const list = groups.get(doc.frontMatter.category) ?? [];
    list.push(doc);
    groups.set(doc.frontMatter.category, list);
  }
  const newest = (d: LibraryDocument) => d.frontMatter.updated ?? d.frontMatter.published;
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([category, docs]) => ({
      category,
      documents: docs.sort((a, b) => (newest(a) < newest(b) ? 1 : newest(a) > newest(b) ? -1 : a.frontMatter.title.localeCompare(b.frontMatter.title, 'en'))),
    }));
}
