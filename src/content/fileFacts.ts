/**
 * Everything the library works out from a document file's bytes: whether
 * they are what the name says, the checksum and ETag, the page count of a
 * PDF, the table preview of a CSV file. Worked out once per content
 * (FileFactsCache), not on every reload: a reload after an unrelated edit, or
 * a SIGHUP with nothing changed, must not read a 50 MB file again.
 *
 * Facts are plain data, so that they can be made on another thread.
 */
import { ContentCache, type BuildCache } from './contentCache.js';
import { looksLikeFormula, readCsv } from './csv.js';
import { checkFileBytes, etagFromDigest, pdfPageCount, type FileKind, type SniffResult } from './fileInfo.js';
import type { CsvTable, FormulaCells } from './model.js';

/** Rows of a CSV file shown as a table on its document's page. */
export const TABLE_PREVIEW_ROWS = 100;

export type CsvFacts =
  | {
      ok: true;
      table: CsvTable;
      /** Rows whose number of cells differs from the header's: the first, and how many in all. */
      ragged: RaggedRows | null;
      formulas: FormulaCells | null;
    }
  | { ok: false; line: number; message: string };

export interface RaggedRows {
  /** 1-based row (counting the header), its number of cells, and the line it starts on. */
  row: number;
  fields: number;
  line: number;
  count: number;
}

export interface FileFacts {
  sniffed: SniffResult;
  sha256: string;
  etag: string;
  /** PDFs only; null when the page tree could not be read. */
  pageCount: number | null;
  /** CSV files whose bytes are text. */
  csv?: CsvFacts;
}

/** What a build needs of a cache of file facts: the loader's own, or a read-only view of it. */
export type FileFactsStore = BuildCache<FileFacts>;

/** File facts by path, for as long as the bytes are the same. */
export class FileFactsCache extends ContentCache<FileFacts> {}

/** The facts of a file of the given kind; `digest` is its SHA-256. */
export function fileFacts(bytes: Buffer, kind: FileKind, digest: Buffer): FileFacts {
  const sniffed = checkFileBytes(bytes, kind);
  const facts: FileFacts = {
    sniffed,
    sha256: digest.toString('hex'),
    etag: etagFromDigest(digest),
    pageCount: sniffed.ok && kind === 'pdf' ? pdfPageCount(bytes) : null,
  };
  if (sniffed.ok && kind === 'csv') facts.csv = csvFacts(new TextDecoder('utf-8').decode(bytes));
  return facts;
}

function csvFacts(text: string): CsvFacts {
  let header: string[] | null = null;
  const rows: string[][] = [];
  let totalRows = 0;
  let ragged: RaggedRows | null = null;
  let formulas: FormulaCells | null = null;
  let rowNumber = 0;
  const error = readCsv(text, (fields, line) => {
    rowNumber++;
    for (let c = 0; c < fields.length; c++) {
      if (!looksLikeFormula(fields[c]!)) continue;
      if (formulas) formulas.count++;
      else formulas = { count: 1, first: { row: rowNumber, column: c + 1, line, text: fields[c]! } };
    }
    if (header === null) {
      header = fields;
      return;
    }
    totalRows++;
    if (fields.length !== header.length) {
      if (ragged) ragged.count++;
      else ragged = { row: rowNumber, fields: fields.length, line, count: 1 };
    }
    if (rows.length < TABLE_PREVIEW_ROWS) rows.push(pad(fields, header.length));
  });
  if (error) return { ok: false, ...error };
  if (header === null || (header as string[]).every((h) => h.trim() === ''))
    return { ok: false, line: 1, message: 'the first row must name the columns: add a header row' };
  return { ok: true, table: { header, rows, totalRows }, ragged, formulas };
}

/** A ragged file is refused (see documents.ts), so rows are only ever padded or cut in facts nobody shows. */
function pad(fields: string[], length: number): string[] {
  return fields.length >= length
    ? fields.slice(0, length)
    : [...fields, ...Array<string>(length - fields.length).fill('')];
}
