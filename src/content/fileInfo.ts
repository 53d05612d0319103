/**
 * Facts about a document file, computed from its bytes: what kind of file
 * it really is, its size, checksum and (for PDFs) page count. Staff never
 * type these, so they cannot drift from the file.
 */
import { createHash } from 'node:crypto';

export type FileKind = 'csv' | 'pdf' | 'ods' | 'xlsx';

export interface FileType {
  kind: FileKind;
  /** The short name shown to visitors, e.g. "CSV"; an abbreviation. */
  abbreviation: string;
  /** Media type for Content-Type. */
  contentType: string;
  /** Data files get a published checksum; reports do not need one. */
  isData: boolean;
}

export const FILE_TYPES: Readonly<Record<FileKind, FileType>> = {
  csv: { kind: 'csv', abbreviation: 'CSV', contentType: 'text/csv; charset=utf-8', isData: true },
  pdf: { kind: 'pdf', abbreviation: 'PDF', contentType: 'application/pdf', isData: false },
  ods: {
    kind: 'ods',
    abbreviation: 'ODS',
    contentType: 'application/vnd.oasis.opendocument.spreadsheet',
    isData: true,
  },
  xlsx: {
    kind: 'xlsx',
    abbreviation: 'XLSX',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    isData: true,
  },
};

/** The kind a file name promises, from its extension; null for extensions we do not offer. */
export function kindFromName(name: string): FileKind | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext && ext in FILE_TYPES ? (ext as FileKind) : null;
}

export type SniffResult = { ok: true; kind: FileKind } | { ok: false; reason: string };

/**
 * Checks that the bytes are what the extension says. A renamed or corrupt
 * file would otherwise be served with a type that lies about it.
 */
export function checkFileBytes(bytes: Buffer, expected: FileKind): SniffResult {
  switch (expected) {
    case 'pdf':
      return bytes.subarray(0, 1024).includes('%PDF-')
        ? { ok: true, kind: 'pdf' }
        : { ok: false, reason: 'it does not start like a PDF file (no "%PDF-" header)' };
    case 'csv':
      return checkCsvBytes(bytes);
    case 'ods':
      if (zipMimetype(bytes) !== 'application/vnd.oasis.opendocument.spreadsheet')
        return {
          ok: false,
          reason: 'it is not an OpenDocument spreadsheet (its first zip entry is not the ODS "mimetype")',
        };
      return zipBombCheck(bytes, 'ods');
    case 'xlsx': {
      const names = zipEntryNames(bytes);
      if (!(names?.includes('[Content_Types].xml') && names.includes('xl/workbook.xml')))
        return {
          ok: false,
          reason: 'it is not an Excel workbook (a zip holding [Content_Types].xml and xl/workbook.xml)',
        };
      return zipBombCheck(bytes, 'xlsx');
    }
  }
}

function checkCsvBytes(bytes: Buffer): SniffResult {
  if (bytes.includes(0)) return { ok: false, reason: 'it contains NUL bytes, so it is not a text file' };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'it is not valid UTF-8 text: save it as "CSV UTF-8"' };
  }
  return { ok: true, kind: 'csv' };
}

/** ODF packages start with an uncompressed entry named "mimetype" holding the media type. */
function zipMimetype(bytes: Buffer): string | null {
  if (bytes.length < 30 || bytes.readUInt32LE(0) !== 0x04034b50) return null;
  const method = bytes.readUInt16LE(8);
  const size = bytes.readUInt32LE(18);
  const nameLength = bytes.readUInt16LE(26);
  const extraLength = bytes.readUInt16LE(28);
  if (method !== 0) return null;
  const name = bytes.toString('latin1', 30, 30 + nameLength);
  if (name !== 'mimetype') return null;
  const start = 30 + nameLength + extraLength;
  if (start + size > bytes.length || size > 200) return null;
  return bytes.toString('latin1', start, start + size);
}

/**
 * A spreadsheet unpacks to a few times its size. One that would unpack to
 * more than this, or an entry squeezed a thousand times over, is a "zip
 * bomb" meant to exhaust whoever opens it. Read from the sizes the zip's
 * directory declares: nothing is ever unpacked here.
 */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
const MAX_RATIO = 1000;

function zipBombCheck(bytes: Buffer, kind: 'ods' | 'xlsx'): SniffResult {
  const entries = zipEntries(bytes);
  if (!entries) return { ok: false, reason: 'its zip directory cannot be read' };
  let total = 0;
  for (const entry of entries) {
    total += entry.size;
    if (entry.size === 0xffffffff || (entry.size > 10 * 1024 * 1024 && entry.size > entry.compressedSize * MAX_RATIO))
      return { ok: false, reason: `it would unpack to far more than it holds (a "zip bomb"): "${entry.name}"` };
  }
  if (total > MAX_UNPACKED_BYTES)
    return { ok: false, reason: 'it would unpack to more than 1 GB (a "zip bomb"): save a smaller spreadsheet' };
  return { ok: true, kind };
}

/** Entry names from a zip's central directory; null when the bytes are not a readable zip. */
export function zipEntryNames(bytes: Buffer): string[] | null {
  return zipEntries(bytes)?.map((e) => e.name) ?? null;
}

/** Entries of a zip's central directory, with the sizes it declares; null when the bytes are not a readable zip. */
export function zipEntries(bytes: Buffer): Array<{ name: string; size: number; compressedSize: number }> | null {
  const EOCD = 0x06054b50;
  const minimum = 22;
  if (bytes.length < minimum) return null;
  // The end record sits in the last 22 bytes plus an optional comment of up to 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - minimum; i >= Math.max(0, bytes.length - minimum - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = bytes.readUInt16LE(eocd + 10);
  let offset = bytes.readUInt32LE(eocd + 16);
  const entries: Array<{ name: string; size: number; compressedSize: number }> = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50) return null;
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    if (offset + 46 + nameLength > bytes.length) return null;
    entries.push({
      name: bytes.toString('utf8', offset + 46, offset + 46 + nameLength),
      compressedSize: bytes.readUInt32LE(offset + 20),
      size: bytes.readUInt32LE(offset + 24),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/**
 * Number of pages of a PDF: the largest /Count of its page tree nodes (the
 * root node counts every page). Returns null when the page tree is hidden
 * in compressed object streams, which we do not unpack.
 *
 * One pass: the enclosing object of each page tree node (from the "obj"
 * before it to the "endobj" after it) and the first /Count in it are found
 * by cursors that only move forward. Searching back to the start of the file
 * for each node took seconds for a file of many nodes and no objects.
 */
export function pdfPageCount(bytes: Buffer): number | null {
  const text = bytes.toString('latin1');
  let best: number | null = null;
  const pagesNode = /\/Type\s*\/Pages\b/g;
  const countEntry = /\/Count\s+(\d{1,7})\b/g;
  let objectStart = 0;
  let nextObj = text.indexOf('obj');
  let objectEnd = -2; // not searched yet
  let count = countEntry.exec(text);
  for (let m = pagesNode.exec(text); m; m = pagesNode.exec(text)) {
    while (nextObj !== -1 && nextObj <= m.index) {
      objectStart = nextObj;
      nextObj = text.indexOf('obj', nextObj + 1);
    }
    if (objectEnd !== -1 && objectEnd < m.index) objectEnd = text.indexOf('endobj', m.index);
    const end = objectEnd === -1 ? text.length : objectEnd;
    while (count && count.index < objectStart) count = countEntry.exec(text);
    if (count && count.index + count[0].length <= end) best = Math.max(best ?? 0, Number(count[1]));
  }
  return best;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A strong HTTP validator derived from the content. */
export function strongEtag(bytes: Buffer): string {
  return etagFromDigest(createHash('sha256').update(bytes).digest());
}

/** The strong validator from the content's SHA-256 digest, when it is already known. */
export function etagFromDigest(digest: Buffer): string {
  return `"${digest.toString('base64url').slice(0, 27)}"`;
}
