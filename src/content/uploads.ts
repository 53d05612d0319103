/**
 * What an uploaded file is, from its bytes alone (the name a browser sends is
 * a claim, never the answer), and the name it is stored under, made here:
 * lowercase letters, digits and hyphens, and the one extension of its type.
 * Pure: nothing is unpacked, nothing is written.
 */
import { checkFileBytes, FILE_TYPES, kindFromName, type FileKind } from './fileInfo.js';
import { ALLOWED_IMAGES_TEXT, IMAGE_TYPES, imageKindFromName, sniffImage, type ImageKind } from './imageFiles.js';

/** What staff are told a document's file may be. */
export const ALLOWED_DOCUMENTS_TEXT = 'a PDF, CSV, XLSX or ODS file';

export type Sniffed<K> = { ok: true; kind: K } | { ok: false; reason: string };

/** Markup of any kind (a web page, XML, SVG) is never a document or a picture of ours, whatever its name. */
function looksLikeMarkup(bytes: Buffer): boolean {
  const start = bytes
    .subarray(0, 2048)
    .toString('latin1')
    .replace(/^\u00ef\u00bb\u00bf/, '')
    .trimStart()
    .toLowerCase();
  return start.startsWith('<') || /<(?:script|svg|html|iframe|object|embed|body)\b/.test(start);
}

/** The kind of document the bytes are: PDF, an ODS or XLSX spreadsheet, or CSV text. */
export function sniffDocument(bytes: Buffer): Sniffed<FileKind> {
  if (bytes.length === 0) return { ok: false, reason: 'the file is empty' };
  // A PDF may have bytes before its header, but never markup: a web page naming "%PDF-" is a web page.
  const pdfHeader = bytes.subarray(0, 1024).indexOf('%PDF-');
  if (pdfHeader !== -1 && !looksLikeMarkup(bytes.subarray(0, pdfHeader))) return checkFileBytes(bytes, 'pdf');
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) {
    const ods = checkFileBytes(bytes, 'ods');
    if (ods.ok || !ods.reason.startsWith('it is not an OpenDocument')) return ods;
    const xlsx = checkFileBytes(bytes, 'xlsx');
    if (xlsx.ok || !xlsx.reason.startsWith('it is not an Excel')) return xlsx;
    return { ok: false, reason: `it is a ZIP file that is not a spreadsheet: upload ${ALLOWED_DOCUMENTS_TEXT}` };
  }
  if (looksLikeMarkup(bytes))
    return {
      ok: false,
      reason: `it is a web page, XML or SVG file, which the website never offers: upload ${ALLOWED_DOCUMENTS_TEXT}`,
    };
  if (sniffImage(bytes))
    return { ok: false, reason: `it is a picture: add it to a page as an image, or upload ${ALLOWED_DOCUMENTS_TEXT}` };
  const csv = checkFileBytes(bytes, 'csv');
  if (!csv.ok) return { ok: false, reason: `${csv.reason}: upload ${ALLOWED_DOCUMENTS_TEXT}` };
  return csv;
}

/**
 * A document upload's kind, also checked against the name it came with: a
 * file named .pdf that is really a web page is refused, not quietly renamed.
 */
export function documentUploadKind(originalName: string, bytes: Buffer): Sniffed<FileKind> {
  const sniffed = sniffDocument(bytes);
  const claimed = kindFromName(originalName);
  if (!sniffed.ok) return { ok: false, reason: `${named(originalName)}cannot be offered: ${sniffed.reason}` };
  if (claimed !== null && claimed !== sniffed.kind)
    return {
      ok: false,
      reason:
        `${named(originalName)}is named like ${withArticle(FILE_TYPES[claimed].abbreviation)} file but its ` +
        `content is ${FILE_TYPES[sniffed.kind].abbreviation}: save it in the right format, or give it the right name`,
    };
  return sniffed;
}

/** An image upload's kind, from its bytes and checked against its name, as for documents. */
export function imageUploadKind(originalName: string, bytes: Buffer): Sniffed<ImageKind> {
  const kind = sniffImage(bytes);
  if (!kind) {
    const why = looksLikeMarkup(bytes)
      ? /<svg\b/i.test(bytes.subarray(0, 4096).toString('latin1'))
        ? 'it is an SVG file, which can hold scripts'
        : 'it is a web page or XML file, not a picture'
      : 'it is not a picture the website shows';
    return { ok: false, reason: `${named(originalName)}cannot be shown: ${why}. Upload a ${ALLOWED_IMAGES_TEXT} file` };
  }
  const claimed = imageKindFromName(originalName);
  if (claimed !== null && claimed !== kind)
    return {
      ok: false,
      reason:
        `${named(originalName)}is named like a ${IMAGE_TYPES[claimed].name} image but is ${IMAGE_TYPES[kind].name}: ` +
        'give it the right name',
    };
  return { ok: true, kind };
}

/** "a PDF", "an XLSX": the article as the letters are said. */
function withArticle(abbreviation: string): string {
  return `${/^[AEFHILMNORSX]/.test(abbreviation) ? 'an' : 'a'} ${abbreviation}`;
}

function named(originalName: string): string {
  const base = baseName(originalName);
  return base ? `"${base.slice(0, 80)}" ` : 'The file ';
}

/** The last part of a name a browser sent, whatever separators it used (C:\Users\x\a.pdf, ../../a.pdf). */
export function baseName(originalName: string): string {
  return (
    originalName
      .split(/[\\/]/)
      .pop()!
      // Control and direction characters never reach a name or a message.
      .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .trim()
  );
}

/**
 * The name a file is stored under: the uploaded name's words as lowercase
 * letters, digits and hyphens ("Données 2024 (final).CSV" → "donnees-2024-final"),
 * the extension of the type its bytes are, and a number when the name is taken.
 */
export function storedFileName(
  originalName: string,
  extension: string,
  taken: (name: string) => boolean,
  fallback = 'file',
): string {
  const stem = fileNameStem(originalName, fallback);
  let name = `${stem}.${extension}`;
  for (let n = 2; taken(name); n++) name = `${stem}-${n}.${extension}`;
  return name;
}

/** A file name's words, without its folders and extension, as lowercase letters, digits and single hyphens. */
export function fileNameStem(name: string, fallback: string): string {
  return (
    baseName(name)
      .replace(/\.[^.]*$/, '')
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || fallback
  );
}
