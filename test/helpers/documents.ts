/** Fixtures for the documents library: document folders, tiny real files of each type, temp folders with links. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildSite, type BuildResult } from '../../src/content/buildSite.js';
import type { ContentFolder } from '../../src/content/readContentFolder.js';
import { minimalFiles, page } from './site.js';

export type FixtureFile = string | Buffer | { symlinkTo: string };

/** A small, valid PDF with `pages` pages. */
export function tinyPdf(pages = 2, note = 'sample'): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`,
    ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'),
  ];
  let body = `%PDF-1.7\n% ${note}\n`;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A stored (uncompressed) zip: enough for ODS and XLSX detection. */
export function zip(entries: [string, string][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const nameBytes = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export const tinyOds = () =>
  zip([
    ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
    ['content.xml', '<office:document-content/>'],
  ]);
export const tinyXlsx = () =>
  zip([
    ['[Content_Types].xml', '<Types/>'],
    ['xl/workbook.xml', '<workbook/>'],
  ]);

/** Front matter of a document page; `extra` lines are appended (files default to one CSV). */
export function documentPage(
  options: {
    title?: string;
    category?: string;
    published?: string;
    updated?: string;
    files?: string;
    extra?: string;
    body?: string;
  } = {},
): string {
  const lines = [
    `title: "${options.title ?? 'Sample dataset'}"`,
    'description: "A sample document for tests."',
    'summary: "A sample document used by the tests."',
    `category: "${options.category ?? 'Datasets'}"`,
    `published: ${options.published ?? '2026-01-10'}`,
    ...(options.updated ? [`updated: ${options.updated}`] : []),
    options.files ?? 'files:\n  - file: data.csv',
    ...(options.extra ? [options.extra] : []),
  ];
  return page(lines.join('\n'), options.body ?? 'Sample text.\n');
}

export function memoryFolderOf(files: Record<string, FixtureFile>, root = '/memory'): ContentFolder {
  return {
    root,
    entries: Object.entries(files)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([p, content]) =>
        typeof content === 'object' && !Buffer.isBuffer(content)
          ? { path: p, kind: 'symlink' as const }
          : {
              path: p,
              kind: 'file' as const,
              bytes: Buffer.isBuffer(content) ? content : Buffer.from(content),
              mtimeMs: Date.UTC(2026, 0, 10, 12),
            },
      ),
  };
}

/** The minimal site plus a documents section and the given files. */
export function libraryFiles(extra: Record<string, FixtureFile>): Record<string, FixtureFile> {
  return {
    ...minimalFiles(),
    'documents/index.md': page('title: Documents\ndescription: All documents.'),
    ...extra,
  };
}

export function buildLibrarySite(extra: Record<string, FixtureFile>): BuildResult {
  return buildSite(memoryFolderOf(libraryFiles(extra)));
}

/** Writes files (and symlinks) into a new temporary folder `content/` inside a parent folder. */
export function tempTree(files: Record<string, FixtureFile>): { parent: string; dir: string; cleanup: () => void } {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'library-'));
  const dir = path.join(parent, 'content');
  mkdirSync(dir);
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(dir, rel);
    mkdirSync(path.dirname(target), { recursive: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlinkTo, target);
    else writeFileSync(target, content);
  }
  return { parent, dir, cleanup: () => rmSync(parent, { recursive: true, force: true }) };
}
