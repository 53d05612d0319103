import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/content/diagnostics.js';
import { groupByCategory } from '../../src/content/documents.js';
import { loadContent } from '../../src/content/loadContent.js';
import { page } from '../helpers/site.js';
import { buildLibrarySite, documentPage, tempTree, libraryFiles, tinyOds, tinyPdf } from '../helpers/documents.js';

const CSV = 'Data item,Description\nItem A,Sample item\n';

function errors(result: ReturnType<typeof buildLibrarySite>) {
  return result.diagnostics.filter((d) => d.severity === 'error');
}

describe('document folders', () => {
  it('makes a document from a folder with index.md and its declared files, facts computed from the bytes', () => {
    const pdf = tinyPdf(3);
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage({
        files:
          'files:\n  - file: data.csv\n  - file: data.ods\n    title: the data as a spreadsheet\n  - file: notes.pdf',
      }),
      'documents/data/data.csv': CSV,
      'documents/data/data.ods': tinyOds(),
      'documents/data/notes.pdf': pdf,
    });
    expect(errors(result)).toEqual([]);
    const doc = result.site!.library.documents.get('data')!;
    expect(doc.url).toBe('/documents/data/');
    expect(result.site!.pages.get('/documents/data/')?.documentId).toBe('data');
    const [csv, ods, notes] = doc.files;
    expect(csv).toMatchObject({
      name: 'data.csv',
      url: '/documents/data/data.csv',
      size: Buffer.byteLength(CSV),
      pageCount: null,
      title: 'Sample dataset',
    });
    expect(csv!.type.contentType).toBe('text/csv; charset=utf-8');
    expect(csv!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(csv!.table).toEqual({
      header: ['Data item', 'Description'],
      rows: [['Item A', 'Sample item']],
      totalRows: 1,
    });
    expect(ods).toMatchObject({
      title: 'the data as a spreadsheet',
      type: { contentType: 'application/vnd.oasis.opendocument.spreadsheet' },
    });
    expect(notes).toMatchObject({ pageCount: 3, size: pdf.length, type: { kind: 'pdf' } });
    expect([...result.site!.library.downloads.keys()]).toEqual([
      '/documents/data/data.csv',
      '/documents/data/data.ods',
      '/documents/data/notes.pdf',
    ]);
  });

  it('reports a declared file that is missing at its line, with a suggestion', () => {
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage({ files: 'files:\n  - file: data.csv\n  - file: dta.pdf' }),
      'documents/data/data.csv': CSV,
      'documents/data/data.pdf': tinyPdf(),
    });
    const [e] = errors(result);
    expect(formatDiagnostic(e!)).toBe(
      'documents/data/index.md:9:11: error: the file "dta.pdf" is not in the ' +
        'folder documents/data/: add it, or correct the name (did you mean "data.pdf"?)',
    );
    expect(result.site).toBeNull();
  });

  it('reports a symlink named as a document file at its line, and the link itself', () => {
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage(),
      'documents/data/data.csv': { symlinkTo: '/etc/passwd' },
    });
    expect(errors(result).map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'documents/data/data.csv:1: symbolic links are not allowed in the ' +
        'content folder: replace the link with the real file',
      'documents/data/index.md:8: "data.csv" is a symbolic link: put the real file in documents/data/ instead',
    ]);
  });

  it('refuses a file whose bytes are not what its name says, an empty file and a broken CSV', () => {
    const result = buildLibrarySite({
      'documents/a/index.md': documentPage({ files: 'files:\n  - file: report.pdf' }),
      'documents/a/report.pdf': 'not a pdf',
      'documents/b/index.md': documentPage({ files: 'files:\n  - file: empty.csv' }),
      'documents/b/empty.csv': '',
      'documents/c/index.md': documentPage(),
      'documents/c/data.csv': 'a,b\n1,"open\n',
      'documents/d/index.md': documentPage(),
      'documents/d/data.csv': ',\n1,2\n',
    });
    expect(errors(result).map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([
      'documents/a/index.md:8: "report.pdf" is named like a PDF file but it ' +
        'does not start like a PDF file (no "%PDF-" header)',
      'documents/b/index.md:8: "empty.csv" is empty: replace it with the real file',
      'documents/c/data.csv:2: a quoted field is never closed: add the closing double quote (")',
      'documents/d/data.csv:1: the first row must name the columns: add a header row',
    ]);
  });

  it(
    'warns about CSV cells that spreadsheet programs would run as formulas, ' + 'at the first one, counting the rest',
    () => {
      const result = buildLibrarySite({
        'documents/data/index.md': documentPage(),
        'documents/data/data.csv': 'Name,Value\nA,1\nB,@SUM(A1:A9)\nC,=1+1\n',
      });
      expect(errors(result)).toEqual([]);
      const warning = result.diagnostics.find((d) => d.file === 'documents/data/data.csv')!;
      expect(formatDiagnostic(warning)).toBe(
        'documents/data/data.csv:3:1: warning: row 3, column 2 starts like a ' +
          'spreadsheet formula ("@SUM(A1:A9)") (and 1 other cell): spreadsheet ' +
          'programs may run it when the file is opened, and the document page ' +
          'warns visitors. If it is meant as text, remove the leading character or ' +
          "put an apostrophe (') before it",
      );
    },
  );

  it('refuses direction controls in file names and titles, which make them read as something else', () => {
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage({
        title: 'Sample \u202Edataset',
        files: 'files:\n  - file: "invoice\u202Efdp.csv"',
      }),
      'documents/data/invoice\u202Efdp.csv': 'a\n1\n',
    });
    const messages = errors(result).map((d) => `${d.line}: ${d.message}`);
    expect(messages).toContain(
      '2: "title" must not contain right-to-left or other direction controls ' +
        '(such as U+202E): they make text show in a different order from the one ' +
        'it has, so "invoice\\u202Efdp.csv" shows as "invoicevsc.pdf"',
    );
    expect(messages).toContain(
      '8: "files.0.file" must not contain right-to-left or other direction ' +
        'controls (such as U+202E): they make text show in a different order ' +
        'from the one it has, so "invoice\\u202Efdp.csv" shows as "invoicevsc.pdf"',
    );
    const page = buildLibrarySite({ 'about.md': '---\ntitle: "About \u2067us"\ndescription: D\n---\n' });
    expect(
      errors(page)
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(/"title" must not contain right-to-left or other direction controls/);
  });

  it('validates document front matter strictly, with lines and suggestions', () => {
    const result = buildLibrarySite({
      'documents/x/index.md': documentPage({ published: '2026-02-01', updated: '2026-01-01', extra: 'sumary: typo' }),
      'documents/x/data.csv': CSV,
      'documents/y/index.md': page(
        'title: Y\ndescription: Y.\nsummary: Y.\ncategory: Reports\npublished: ' +
          '2026-01-01\nfiles:\n  - file: ../secret.csv\n  - file: .hidden.csv\n  - ' +
          'file: run.exe',
      ),
      'documents/z/index.md': documentPage({
        extra: 'changeNotes:\n  - date: 2025-01-01\n    note: Before publication.',
      }),
      'documents/z/data.csv': CSV,
    });
    const messages = errors(result).map((d) => `${d.file}:${d.line}: ${d.message}`);
    expect(messages).toContain(
      'documents/x/index.md:7: "updated" is before "published": a document cannot be updated before it is published',
    );
    expect(messages).toContain('documents/x/index.md:10: unknown key "sumary". Did you mean "summary"?');
    expect(messages.filter((m) => m.startsWith('documents/y/index.md')).length).toBeGreaterThanOrEqual(3);
    expect(
      messages.some(
        (m) =>
          m.startsWith('documents/y/index.md:8: "files.0.file"') &&
          m.includes('lowercase letters, digits and hyphens') &&
          m.includes('"secret.csv"'),
      ),
    ).toBe(true);
    expect(
      messages.some((m) => m.startsWith('documents/y/index.md:9: "files.1.file"') && m.includes('"hidden.csv"')),
    ).toBe(true);
    expect(
      messages.some(
        (m) =>
          m.startsWith('documents/y/index.md:10: "run.exe" is a .exe file, which is not accepted') &&
          m.includes('.csv, .pdf, .ods or .xlsx'),
      ),
    ).toBe(true);
    expect(messages).toContain(
      'documents/z/index.md:10: "changeNotes.0.date" must fall between ' +
        '"published" and "updated": change the date or the "updated" date',
    );
  });

  it('warns about files in a document folder that nobody can download', () => {
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage(),
      'documents/data/data.csv': CSV,
      'documents/data/draft.pdf': tinyPdf(),
    });
    expect(result.site).not.toBeNull();
    expect(result.diagnostics.map((d) => `${d.severity} ${d.file}:${d.line}: ${d.message}`)).toContain(
      'warning documents/data/index.md:8: documents/data/draft.pdf is not ' +
        'listed under "files", so visitors cannot download it: list it or move ' +
        'it out of the folder',
    );
    expect(result.site!.library.downloads.has('/documents/data/draft.pdf')).toBe(false);
  });

  it('reports a cited document that does not exist at its line, with a suggestion', () => {
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage(),
      'documents/data/data.csv': CSV,
      'about.md': page('title: About\ndescription: About.\ndocuments:\n  - data\n  - dta\n  - nothing-like-it'),
    });
    expect(errors(result).map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`)).toEqual([
      'about.md:6:5: there is no document "dta": a document is a folder ' +
        'documents/dta/ with an index.md. Did you mean "data"?',
      'about.md:7:5: there is no document "nothing-like-it": a document is a ' +
        'folder documents/nothing-like-it/ with an index.md. Known documents: data.',
    ]);
  });

  it('groups documents by category in alphabetical order, newest first within a group', () => {
    const result = buildLibrarySite({
      'documents/old-report/index.md': documentPage({
        title: 'Old report',
        category: 'Reports',
        published: '2020-01-01',
      }),
      'documents/old-report/data.csv': CSV,
      'documents/updated-report/index.md': documentPage({
        title: 'Updated report',
        category: 'Reports',
        published: '2019-01-01',
        updated: '2024-06-01',
      }),
      'documents/updated-report/data.csv': CSV,
      'documents/new-report/index.md': documentPage({
        title: 'New report',
        category: 'Reports',
        published: '2023-01-01',
      }),
      'documents/new-report/data.csv': CSV,
      'documents/data/index.md': documentPage({ title: 'Data', category: 'Datasets', published: '2010-01-01' }),
      'documents/data/data.csv': CSV,
    });
    const groups = groupByCategory(result.site!.library.documents.values());
    expect(groups.map((g) => [g.category, g.documents.map((d) => d.frontMatter.title)])).toEqual([
      ['Datasets', ['Data']],
      ['Reports', ['Updated report', 'New report', 'Old report']],
    ]);
  });

  it('reads the facts of files on disk when the site is loaded, and `check` output names file and line', async () => {
    const tree = tempTree({
      ...(libraryFiles({}) as Record<string, string>),
      'documents/data/index.md': documentPage({ files: 'files:\n  - file: data.csv\n  - file: missing.pdf' }),
      'documents/data/data.csv': CSV,
    });
    try {
      const result = (await loadContent(tree.dir)).build;
      expect(result.diagnostics.map((d) => formatDiagnostic(d, 'content/'))).toEqual([
        'content/documents/data/index.md:9:11: error: the file "missing.pdf" is ' +
          'not in the folder documents/data/: add it, or correct the name',
      ]);
    } finally {
      tree.cleanup();
    }
  });
});
