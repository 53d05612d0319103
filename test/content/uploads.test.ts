/**
 * What an upload is, from its bytes alone, and the name it is stored under:
 * the four document types are accepted whatever they are called, everything
 * else is refused with a message naming the types allowed, and stored names
 * are the server's (lowercase letters, digits, hyphens, one extension).
 */
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_DOCUMENTS_TEXT,
  baseName,
  documentUploadKind,
  imageUploadKind,
  storedFileName,
} from '../../src/content/uploads.js';
import { tinyOds, tinyPdf, tinyXlsx, zip } from '../helpers/documents.js';
import { HOSTILE_SVG, jpegHeader, tinyPng } from '../helpers/images.js';

const kindOf = (name: string, bytes: Buffer | string) =>
  documentUploadKind(name, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);

describe('a document upload', () => {
  it('is a PDF, CSV, XLSX or ODS file by its bytes, whatever name it came with', () => {
    expect(kindOf('report', tinyPdf())).toEqual({ ok: true, kind: 'pdf' });
    expect(kindOf('figures.bin', tinyXlsx())).toEqual({ ok: true, kind: 'xlsx' });
    expect(kindOf('', tinyOds())).toEqual({ ok: true, kind: 'ods' });
    expect(kindOf('data', 'Area,Births\nNorth,120\n')).toEqual({ ok: true, kind: 'csv' });
  });

  it('is refused, naming the types allowed, when it is markup, a picture, another zip, binary or empty', () => {
    const refusals: Array<[string, Buffer | string]> = [
      ['report.pdf', '<!DOCTYPE html><html><script>alert(1)</script></html>'],
      // A web page that names "%PDF-" in its first kilobyte is still a web page (a PDF polyglot).
      ['report.pdf', '<html><script>alert(1)</script><!-- %PDF-1.7 --></html>'],
      ['data.csv', '<?xml version="1.0"?><rows><row>1</row></rows>'],
      ['chart.csv', HOSTILE_SVG],
      ['  \ufeff<svg onload="alert(1)">', '\ufeff  <svg onload="alert(1)"></svg>'],
      [
        'letter.docx',
        zip([
          ['[Content_Types].xml', '<Types/>'],
          ['word/document.xml', '<w:document/>'],
        ]),
      ],
      ['photo.pdf', tinyPng()],
      ['program.exe', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0xff, 0xfe, 0x00])],
      ['latin1.csv', Buffer.from('Name,Place\nZo\xeb,Dudley\n', 'latin1')],
    ];
    for (const [name, bytes] of refusals) {
      const result = kindOf(name, bytes);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.reason, name).toContain(`upload ${ALLOWED_DOCUMENTS_TEXT}`);
    }
    expect(kindOf('empty.csv', '')).toEqual({ ok: false, reason: '"empty.csv" cannot be offered: the file is empty' });
  });

  it('is refused when its name promises another of the four types than its bytes are', () => {
    const result = kindOf('figures.xlsx', 'Area,Births\nNorth,120\n');
    expect(result).toEqual({
      ok: false,
      reason:
        '"figures.xlsx" is named like an XLSX file but its content is CSV: save it in the right format, ' +
        'or give it the right name',
    });
  });
});

describe('an image upload', () => {
  it('is PNG, JPEG or WebP by its bytes, and never SVG, whatever it is called', () => {
    expect(imageUploadKind('team.png', tinyPng())).toEqual({ ok: true, kind: 'png' });
    expect(imageUploadKind('team', jpegHeader(20, 10))).toEqual({ ok: true, kind: 'jpeg' });
    const svg = imageUploadKind('logo.png', Buffer.from(HOSTILE_SVG));
    expect(svg.ok).toBe(false);
    if (!svg.ok) expect(svg.reason).toMatch(/it is an SVG file, which can hold scripts\. Upload a PNG, JPEG or WebP/);
    const misnamed = imageUploadKind('photo.png', jpegHeader(20, 10));
    expect(misnamed.ok).toBe(false);
  });
});

describe('a stored file name', () => {
  const none = () => false;

  it('is made of lowercase letters, digits and hyphens, with the extension of what the bytes are', () => {
    expect(storedFileName('Données 2024 (final).CSV', 'csv', none)).toBe('donnees-2024-final.csv');
    expect(storedFileName('Annual Report.final.PDF.exe', 'pdf', none)).toBe('annual-report-final-pdf.pdf');
    expect(storedFileName('report\u202Efdp.exe', 'pdf', none)).toBe('reportfdp.pdf');
    expect(storedFileName('!!!.pdf', 'pdf', none, 'annual-report')).toBe('annual-report.pdf');
    expect(storedFileName(`${'long-'.repeat(40)}.pdf`, 'pdf', none)).toMatch(/^(?:long-){11}long\.pdf$/);
  });

  it('keeps no folder of the name a browser sent, whatever its separators', () => {
    for (const sent of [
      '../../etc/passwd.pdf',
      '..\\..\\Windows\\passwd.pdf',
      'C:\\Users\\me\\passwd.pdf',
      '/passwd.pdf',
    ])
      expect(storedFileName(sent, 'pdf', none)).toBe('passwd.pdf');
    expect(baseName('a/b\\c\u0000\u001b[2J.pdf')).toBe('c[2J.pdf');
  });

  it('gets a number when the name is taken', () => {
    const taken = new Set(['data.csv', 'data-2.csv']);
    expect(storedFileName('Data.csv', 'csv', (n) => taken.has(n))).toBe('data-3.csv');
  });
});
