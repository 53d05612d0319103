import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkFileBytes,
  kindFromName,
  pdfPageCount,
  sha256Hex,
  strongEtag,
  zipEntryNames,
} from '../../src/content/fileInfo.js';
import { BUNDLED_CONTENT } from '../helpers/site.js';
import { tinyOds, tinyPdf, tinyXlsx, zip } from '../helpers/documents.js';

describe('file facts from bytes', () => {
  it('knows the offered types by extension, case-insensitively, and nothing else', () => {
    expect(kindFromName('a.CSV')).toBe('csv');
    expect(kindFromName('report.final.pdf')).toBe('pdf');
    expect(kindFromName('x.ods')).toBe('ods');
    expect(kindFromName('x.xlsx')).toBe('xlsx');
    expect(kindFromName('index.md')).toBeNull();
    expect(kindFromName('run.exe')).toBeNull();
    expect(kindFromName('pdf')).toBeNull();
  });

  it('accepts bytes that are what the name says and refuses those that are not', () => {
    expect(checkFileBytes(tinyPdf(), 'pdf').ok).toBe(true);
    expect(checkFileBytes(Buffer.from('a,b\n1,2\n'), 'csv').ok).toBe(true);
    expect(checkFileBytes(tinyOds(), 'ods').ok).toBe(true);
    expect(checkFileBytes(tinyXlsx(), 'xlsx').ok).toBe(true);

    expect(checkFileBytes(Buffer.from('a,b\n'), 'pdf')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('%PDF-'),
    });
    expect(checkFileBytes(Buffer.from([0x61, 0x00, 0x62]), 'csv')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('NUL'),
    });
    expect(checkFileBytes(Buffer.from([0x61, 0xff, 0xfe]), 'csv')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('UTF-8'),
    });
    expect(checkFileBytes(tinyXlsx(), 'ods').ok).toBe(false);
    expect(checkFileBytes(tinyOds(), 'xlsx').ok).toBe(false);
    expect(checkFileBytes(zip([['mimetype', 'application/vnd.oasis.opendocument.text']]), 'ods').ok).toBe(false);
    expect(checkFileBytes(Buffer.from('PK not really a zip'), 'xlsx').ok).toBe(false);
  });

  it('lists zip entries and rejects truncated zips', () => {
    expect(zipEntryNames(tinyXlsx())).toEqual(['[Content_Types].xml', 'xl/workbook.xml']);
    const z = tinyXlsx();
    expect(zipEntryNames(z.subarray(0, z.length - 10))).toBeNull();
  });

  it('counts PDF pages from the page tree', () => {
    expect(pdfPageCount(tinyPdf(1))).toBe(1);
    expect(pdfPageCount(tinyPdf(7))).toBe(7);
    expect(pdfPageCount(Buffer.from('%PDF-1.7\n% no page tree\n'))).toBeNull();
  });

  it('counts the pages of the committed PDFs as pdfinfo does (2 and 1)', () => {
    const read = (p: string) => readFileSync(path.join(BUNDLED_CONTENT, p));
    expect(pdfPageCount(read('documents/final-achievement-report/final-achievement-report-sample.pdf'))).toBe(2);
    expect(
      pdfPageCount(read('documents/quality-indicators/5-quality-indicators-rationale-and-targets-sample.pdf')),
    ).toBe(1);
  });

  it('derives checksum and strong ETag from the content only', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(strongEtag(Buffer.from('abc'))).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(strongEtag(Buffer.from('abc'))).not.toBe(strongEtag(Buffer.from('abd')));
  });
});
