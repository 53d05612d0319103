/**
 * The documents library: each folder content/documents/<id>/ with an
 * index.md is a document whose declared files can be downloaded. Pure, like
 * buildSite: it works on the entries already read, and reports every
 * problem at the file and line that staff need to change.
 */
import path from 'node:path';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { DocumentFrontMatter } from './documentSchema.js';
import { fileFacts, FileFactsCache, type FileFacts, type FileFactsStore, type RaggedRows } from './fileFacts.js';
import { FILE_TYPES, kindFromName } from './fileInfo.js';
import { looksLikeImageName } from './imageFiles.js';
import type { DocumentFile, FormulaCells, Library, LibraryDocument, Page } from './model.js';
import type { ContentEntry } from './readContentFolder.js';
import { closestMatch } from './suggest.js';

export const DOCUMENTS_FOLDER = 'documents';
/** The page that lists every document. */
export const LIBRARY_URL = `/${DOCUMENTS_FOLDER}/`;
export { TABLE_PREVIEW_ROWS } from './fileFacts.js';
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
    /** File facts kept between builds; without it, every file is worked out again. */
    fileFacts?: FileFactsStore;
  },
  diagnostics: Diagnostic[],
): Library {
  const entries = new Map(input.entries.map((e) => [e.path, e]));
  // Each folder's files, gathered once rather than by a scan of every entry per document.
  const byFolder = new Map<string, ContentEntry[]>();
  for (const e of input.entries) {
    const folder = path.posix.dirname(e.path);
    let list = byFolder.get(folder);
    if (!list) byFolder.set(folder, (list = []));
    list.push(e);
  }
  // The caller begins and ends the build of a cache it keeps (it may have filled it on worker threads first).
  const facts = input.fileFacts ?? new FileFactsCache();
  const documents = new Map<string, LibraryDocument>();
  const downloads = new Map<string, DocumentFile>();

  for (const { page, id, frontMatter } of input.documentPages) {
    const folder = `${DOCUMENTS_FOLDER}/${id}`;
    const files: DocumentFile[] = [];
    if (frontMatter.files.length === 0) {
      // Only a draft may have none (the schema says so); it cannot be published until it has.
      diagnostics.push(
        diagnostic(
          page.source,
          `this draft lists no files yet: put them in the folder ${folder}/ and list each one under "files:", ` +
            `"  - file: name.pdf", before you publish it`,
          page.positions.at(['files']),
          'warning',
        ),
      );
    }
    frontMatter.files.forEach((declared, index) => {
      const at = page.positions.at(['files', index, 'file']);
      const source = `${folder}/${declared.file}`;
      const entry = entries.get(source);
      const fail = (message: string) => diagnostics.push(diagnostic(page.source, message, at));
      const warn = (message: string) => diagnostics.push(diagnostic(page.source, message, at, 'warning'));
      if (!entry) {
        const here = (byFolder.get(folder) ?? [])
          .filter((e) => e.path !== page.source)
          .map((e) => path.posix.basename(e.path));
        const guess = closestMatch(declared.file, here);
        return fail(
          `the file "${declared.file}" is not in the folder ${folder}/: add it, or ` +
            `correct the name${guess ? ` (did you mean "${guess}"?)` : ''}`,
        );
      }
      if (entry.kind === 'symlink')
        return fail(`"${declared.file}" is a symbolic link: put the real file in ${folder}/ instead`);
      if (entry.kind !== 'file' || !entry.bytes)
        return fail(`"${declared.file}" is not a regular file: put the real file in ${folder}/ instead`);
      const file = describeFile(
        { ...entry, bytes: entry.bytes },
        {
          name: declared.file,
          source,
          url: `${page.url}${encodeURIComponent(declared.file)}`,
          title: declared.title ?? frontMatter.title,
        },
        input.root,
        facts,
        fail,
        warn,
        diagnostics,
      );
      if (file) {
        files.push(file);
        downloads.set(`${page.url}${declared.file}`, file);
      }
    });
    const declaredNames = new Set(frontMatter.files.map((f) => f.file));
    for (const e of byFolder.get(folder) ?? []) {
      if (
        e.kind === 'file' &&
        e.path !== page.source &&
        !declaredNames.has(path.posix.basename(e.path)) &&
        !e.path.endsWith('.md') &&
        !looksLikeImageName(e.path) // pictures the page shows, checked with the page's images
      ) {
        diagnostics.push(
          diagnostic(
            page.source,
            `${e.path} is not listed under "files", so visitors cannot download it: ` +
              `list it or move it out of the folder`,
            page.positions.at(['files']),
            'warning',
          ),
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
        const hint = guess
          ? ` Did you mean "${guess}"?`
          : documents.size > 0
            ? ` Known documents: ${[...documents.keys()].join(', ')}.`
            : '';
        diagnostics.push(
          diagnostic(
            page.source,
            `there is no document "${id}": a document is a folder ${DOCUMENTS_FOLDER}/${id}/ with an index.md.${hint}`,
            at,
          ),
        );
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
  cache: FileFactsStore,
  fail: (message: string) => void,
  warn: (message: string) => void,
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
    fail(
      `"${names.name}" is larger than ${MAX_DOCUMENT_FILE_BYTES / 1024 / 1024} MB: publish a smaller file or split it`,
    );
    return null;
  }
  const facts: FileFacts = cache.get(names.source, bytes, kind, (digest) => fileFacts(bytes, kind, digest));
  if (!facts.sniffed.ok) {
    fail(`"${names.name}" is named like a ${FILE_TYPES[kind].abbreviation} file but ${facts.sniffed.reason}`);
    return null;
  }
  if (kind === 'pdf' && facts.pageCount === null) {
    // Said at the document's list of files: the PDF's own bytes are no place to point a person at.
    warn(`the document page shows "${names.name}" without its number of pages, which could not be read from the file`);
  }
  const csv = facts.csv;
  if (csv && !csv.ok) {
    diagnostics.push(diagnostic(names.source, csv.message, { line: csv.line }));
    return null;
  }
  if (csv?.ragged) {
    // Shown as a table, a ragged row would lose cells or gain empty ones: the file is refused until it is mended.
    diagnostics.push(
      diagnostic(names.source, raggedRowsMessage(csv.ragged, csv.table.header.length), { line: csv.ragged.line }),
    );
    return null;
  }
  if (csv?.formulas) diagnostics.push(formulaWarning(names.source, csv.formulas));
  const file: DocumentFile = {
    ...names,
    type: FILE_TYPES[kind],
    size: bytes.length,
    sha256: facts.sha256,
    etag: facts.etag,
    pageCount: facts.pageCount,
    lastModified: new Date(Math.floor((entry.mtimeMs ?? 0) / 1000) * 1000),
    bytes,
    ...(csv ? { table: csv.table } : {}),
    ...(csv?.formulas ? { formulas: csv.formulas } : {}),
  };
  if (entry.identity)
    file.disk = { absolutePath: path.join(root, ...names.source.split('/')), root, identity: entry.identity };
  return file;
}

/** Says which row and column of a CSV file break its shape, and how to mend it. */
export function raggedRowsMessage(ragged: RaggedRows, columns: number): string {
  const { row, fields, count } = ragged;
  const where =
    fields > columns
      ? `row ${row} has ${fields} cells but the header names ${columns} columns: column ${columns + 1} has no name`
      : `row ${row} has ${fields} ${fields === 1 ? 'cell' : 'cells'} but the header names ${columns} columns: ` +
        `column ${fields + 1} is missing`;
  const others = count > 1 ? ` (${count - 1} more ${count === 2 ? 'row has' : 'rows have'} the wrong number too)` : '';
  return (
    `${where}${others}. Every row needs one cell for each column, or the table would show cells in the wrong ` +
    `place: correct the file (in a spreadsheet program, save it again as "CSV UTF-8")`
  );
}

/**
 * Cells starting with "=", "+", "-" or "@" are run as formulas by spreadsheet
 * programs when the file is opened: =HYPERLINK(...) can send data elsewhere.
 */
function formulaWarning(source: string, formulas: FormulaCells): Diagnostic {
  const { row, column, line, text } = formulas.first;
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const others = formulas.count > 1 ? ` (and ${formulas.count - 1} other cell${formulas.count === 2 ? '' : 's'})` : '';
  return diagnostic(
    source,
    `row ${row}, column ${column} starts like a spreadsheet formula ` +
      `(${JSON.stringify(shown)})${others}: spreadsheet programs may run it ` +
      `when the file is opened, and the document page warns visitors. If it is ` +
      `meant as text, remove the leading character or put an apostrophe (') ` +
      `before it`,
    { line },
    'warning',
  );
}

/** Documents grouped by category (groups in alphabetical order), newest first within a group. */
export function groupByCategory(
  documents: Iterable<LibraryDocument>,
): { category: string; documents: LibraryDocument[] }[] {
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
      documents: docs.sort((a, b) =>
        newest(a) < newest(b)
          ? 1
          : newest(a) > newest(b)
            ? -1
            : a.frontMatter.title.localeCompare(b.frontMatter.title, 'en'),
      ),
    }));
}
