import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { formatFileSize } from '../../src/render/documentViews.js';
import {
  appFor,
  BUNDLED_SETTINGS,
  FIXTURE_CONTACT_EMAIL,
  page,
  renderedBundledSite,
  SITE_URL,
} from '../helpers/site.js';
import { documentPage, libraryFiles, memoryFolderOf, tinyPdf, type FixtureFile } from '../helpers/documents.js';

function render(extra: Record<string, FixtureFile>, settings = BUNDLED_SETTINGS) {
  const result = buildSite(memoryFolderOf({ ...libraryFiles(extra), 'site.yml': settings }));
  if (!result.site) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
  return renderSite(result.site, { siteUrl: SITE_URL });
}

const html = (site: ReturnType<typeof render>, url: string) => site.pages.get(url)!.body.toString('utf8');
const csvRows = (n: number) =>
  `Data item,Description\n${Array.from({ length: n }, (_, i) => `Item ${i + 1},"Sample, item ${i + 1}"`).join('\n')}\n`;

describe('document pages', () => {
  it('follow the attachment pattern: link naming format and size, abbr type, pages, dates, accessibility help', () => {
    const site = render({
      'documents/report/index.md': documentPage({
        title: 'Final report',
        category: 'Reports',
        published: '2026-01-10',
        updated: '2026-03-02',
        files: 'files:\n  - file: report.pdf\n    title: the final report',
        extra:
          'changeNotes:\n  - date: 2026-03-02\n    note: Corrected a heading.\n  - ' +
          'date: 2026-02-01\n    note: Added a section.',
      }),
      'documents/report/report.pdf': tinyPdf(12),
    });
    const body = html(site, '/documents/report/');
    expect(body).toContain('<h1>Final report</h1>');
    expect(body).toContain('<p class="nhsuk-lede-text">A sample document used by the tests.</p>');
    expect(body).toMatch(
      new RegExp(
        '<a class="app-attachment__link" href="/documents/report/report\\.pdf" download="report\\.pdf">' +
          'Download the final report \\(PDF, \\d+ (?:bytes|KB)\\)</a>',
      ),
    );
    expect(body).toMatch(/<abbr title="Portable Document Format">PDF<\/abbr>, \d+ (?:bytes|KB), 12 pages/);
    expect(body).toContain('Published on this site <time datetime="2026-01-10">10 January 2026</time>');
    expect(body).toContain(
      'Last updated <time datetime="2026-03-02">2 March 2026</time> (<a href="#document-updates">See all updates</a>)',
    );
    expect(body).toContain('This file may not be suitable for users of assistive technology.');
    expect(body).toContain('<span class="nhsuk-details__summary-text">Request an accessible format</span>');
    expect(body).toContain(`<a href="mailto:${FIXTURE_CONTACT_EMAIL}">${FIXTURE_CONTACT_EMAIL}</a>`);
    // Change notes newest first; no checksum for a report.
    expect(body.indexOf('Corrected a heading.')).toBeLessThan(body.indexOf('Added a section.'));
    expect(body).not.toContain('SHA-256');
    expect(body).not.toMatch(/\sstyle=/);
  });

  it('publish the SHA-256 checksum of data files, and say "1 page" for one page', () => {
    const site = render({
      'documents/data/index.md': documentPage({ files: 'files:\n  - file: data.csv\n  - file: guide.pdf' }),
      'documents/data/data.csv': 'a,b\n1,2\n',
      'documents/data/guide.pdf': tinyPdf(1),
    });
    const body = html(site, '/documents/data/');
    const sha = site.model.library.documents.get('data')!.files[0]!.sha256;
    expect(body).toContain(`SHA-256 checksum: <code class="app-attachment__checksum">${sha}</code>`);
    expect(body).toMatch(/<abbr title="Portable Document Format">PDF<\/abbr>, \d+ bytes, 1 page</);
    expect(body.match(/SHA-256 checksum/g)).toHaveLength(1);
  });

  it('take every word from the site settings', () => {
    const settings = BUNDLED_SETTINGS.replace(
      'assistiveTechnology: This file may not be suitable for users of assistive technology.',
      'assistiveTechnology: Efallai na fydd y ffeil hon yn addas.',
    )
      .replace('download: "Download {title} ({format}, {size})"', 'download: "Lawrlwytho {title} ({format}, {size})"')
      .replace('csv: Comma-separated values', 'csv: Gwerthoedd wedi eu gwahanu gan goma');
    const site = render({ 'documents/data/index.md': documentPage(), 'documents/data/data.csv': 'a\n1\n' }, settings);
    const body = html(site, '/documents/data/');
    expect(body).toContain('Efallai na fydd y ffeil hon yn addas.');
    expect(body).toMatch(/>Lawrlwytho Sample dataset \(CSV, \d+ bytes\)</);
    expect(body).toContain('<abbr title="Gwerthoedd wedi eu gwahanu gan goma">CSV</abbr>');
  });

  it('say when the original was published or what it covers, apart from when this page was published', () => {
    const doc = documentPage({
      title: 'Old report',
      category: 'Reports',
      published: '2026-11-25',
      extra: 'originalDate: "2008 to March 2011"',
    });
    const site = render({ 'documents/old/index.md': doc, 'documents/old/data.csv': 'a\n1\n' });
    const page = html(site, '/documents/old/');
    expect(page).toContain('Date of the original document: 2008 to March 2011<br>');
    expect(page).toContain('Published on this site <time datetime="2026-11-25">25 November 2026</time>');
    const library = html(site, '/documents/');
    expect(library).toContain('Date of the original document: 2008 to March 2011<br>');
    expect(library).toContain('Published on this site <time datetime="2026-11-25">25 November 2026</time>');
    // Without the field, nothing is said about the original.
    expect(
      html(render({ 'documents/new/index.md': documentPage(), 'documents/new/data.csv': 'a\n1\n' }), '/documents/new/'),
    ).not.toContain('Date of the original document');
  });

  it('need a label for the original date once a document gives one, and report it at the document', () => {
    const settings = BUNDLED_SETTINGS.replace(
      /^ {4}# Shown where a document gives "originalDate".*\n {4}originalDate: .*\n/m,
      '',
    );
    expect(settings).not.toContain('originalDate');
    const files = {
      ...libraryFiles({
        'documents/old/index.md': documentPage({ extra: 'originalDate: "2011"' }),
        'documents/old/data.csv': 'a\n1\n',
      }),
      'site.yml': settings,
    };
    const result = buildSite(memoryFolderOf(files));
    expect(result.site).toBeNull();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        file: 'documents/old/index.md',
        line: 9,
        column: 15,
        message: expect.stringMatching(
          /^the site settings have no label to show "originalDate" with: add "originalDate" under labels\.documents/,
        ),
      }),
    ]);
    expect(buildSite(memoryFolderOf({ ...files, 'documents/old/index.md': documentPage() })).site).not.toBeNull();
  });

  it('refuse a label that lost its placeholder', () => {
    const result = buildSite(
      memoryFolderOf({
        ...libraryFiles({}),
        'site.yml': BUNDLED_SETTINGS.replace(
          'download: "Download {title} ({format}, {size})"',
          'download: "Download {title}"',
        ),
      }),
    );
    expect(result.diagnostics.map((d) => `${d.file}: ${d.message}`)).toContain(
      'site.yml: "labels.documents.download" must contain {title} and {format} and {size}, where the value goes',
    );
  });

  it('show a CSV as an accessible table: caption, column and row headers, escaped cells', () => {
    const site = render({
      'documents/data/index.md': documentPage(),
      'documents/data/data.csv': 'Data item,Note\n<b>Item</b>,"a, ""quoted"" note"\n',
    });
    const body = html(site, '/documents/data/');
    expect(body).toContain(
      '<caption class="nhsuk-table__caption nhsuk-table__caption--s" ' +
        'id="table-1-caption">Contents of data.csv</caption>',
    );
    expect(body).toContain(
      '<th scope="col" class="nhsuk-table__header">Data item</th><th scope="col" class="nhsuk-table__header">Note</th>',
    );
    expect(body).toContain(
      '<th scope="row" ' +
        'class="nhsuk-table__header">&lt;b&gt;Item&lt;/b&gt;</th><td ' +
        'class="nhsuk-table__cell">a, &quot;quoted&quot; note</td>',
    );
    expect(body).toContain('<section class="app-table-scroll" aria-labelledby="table-1-caption" tabindex="0">');
    expect(body).not.toContain('This table shows the first');
  });

  it('warn beside a CSV file with cells that spreadsheet programs would run as formulas, and only there', () => {
    const site = render({
      'documents/data/index.md': documentPage({ files: 'files:\n  - file: data.csv\n  - file: clean.csv' }),
      'documents/data/data.csv': 'Name,Link\nA,"=HYPERLINK(""https://evil.example/"",""click"")"\n',
      'documents/data/clean.csv': 'Name,Change\nA,-12.5\n',
    });
    const body = html(site, '/documents/data/');
    const warning =
      '<p class="app-attachment__metadata"><strong>Some cells in this file start like a spreadsheet formula.';
    expect(body.split(warning)).toHaveLength(2);
    expect(body.indexOf(warning)).toBeGreaterThan(body.indexOf('href="/documents/data/data.csv"'));
    expect(body.indexOf(warning)).toBeLessThan(body.indexOf('href="/documents/data/clean.csv"'));
    const warned = site.model.library.documents.get('data')!.files.map((f) => f.formulas?.count ?? 0);
    expect(warned).toEqual([1, 0]);
  });

  it('show only the first 100 rows of a long CSV, and say so', () => {
    const site = render({ 'documents/data/index.md': documentPage(), 'documents/data/data.csv': csvRows(250) });
    const body = html(site, '/documents/data/');
    expect(body.match(/<th scope="row"/g)).toHaveLength(100);
    expect(body).toContain('Item 100<');
    expect(body).not.toContain('Item 101<');
    expect(body).toContain(
      '<p class="nhsuk-body-s" id="table-1-note">This table shows the first ' +
        '100 of 250 rows. Download the file to see all the rows.</p>',
    );
    expect(body).toContain('aria-describedby="table-1-note"');
  });

  it('exactly 100 rows are not called truncated', () => {
    const site = render({ 'documents/data/index.md': documentPage(), 'documents/data/data.csv': csvRows(100) });
    expect(html(site, '/documents/data/')).not.toContain('This table shows the first');
  });
});

describe('the library page and citing pages', () => {
  it('lists every document by category, newest first within a category', () => {
    const site = render({
      'documents/a/index.md': documentPage({ title: 'Older report', category: 'Reports', published: '2020-05-01' }),
      'documents/a/data.csv': 'a\n1\n',
      'documents/b/index.md': documentPage({ title: 'Newer report', category: 'Reports', published: '2021-05-01' }),
      'documents/b/data.csv': 'a\n1\n',
      'documents/c/index.md': documentPage({ title: 'A dataset', category: 'Datasets', published: '2019-05-01' }),
      'documents/c/data.csv': 'a\n1\n',
    });
    const body = html(site, '/documents/');
    const order = [
      '<h2>Datasets</h2>',
      '>A dataset</a>',
      '<h2>Reports</h2>',
      '>Newer report</a>',
      '>Older report</a>',
    ].map((s) => body.indexOf(s));
    expect(order.every((p) => p > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(body).toContain(
      'Published on this site <time datetime="2021-05-01">1 May 2021</time> – ' +
        '<abbr title="Comma-separated values">CSV</abbr>',
    );
  });

  it('show cited documents as attachments on the citing page', () => {
    const site = render({
      'documents/data/index.md': documentPage({ title: 'The data' }),
      'documents/data/data.csv': 'a\n1\n',
      'about.md': page('title: About\ndescription: About.\ndocuments:\n  - data'),
    });
    const body = html(site, '/about/');
    expect(body).toContain('<h2 id="related-documents-heading">Documents</h2>');
    expect(body).toContain('<h3><a href="/documents/data/">The data</a></h3>');
    expect(body).toMatch(
      new RegExp(
        '<h4 class="app-attachment__title"><a class="app-attachment__link" href="/documents/data/data\\.csv" ' +
          'download="data\\.csv">Download The data \\(CSV, \\d+ bytes\\)</a></h4>',
      ),
    );
    expect(html(site, '/')).not.toContain('related-documents-heading');
  });

  it('link file names as written: they need no percent-encoding', () => {
    const site = render({
      'documents/data/index.md': documentPage({ files: 'files:\n  - file: data-2024-v2.csv' }),
      'documents/data/data-2024-v2.csv': 'a\n1\n',
    });
    expect(html(site, '/documents/data/')).toContain(
      'href="/documents/data/data-2024-v2.csv" download="data-2024-v2.csv"',
    );
  });
});

describe('file sizes', () => {
  const labels = { bytes: '{count} bytes' };
  it('are written the GOV.UK way', () => {
    expect(formatFileSize(312, labels)).toBe('312 bytes');
    expect(formatFileSize(1024, labels)).toBe('1 KB');
    expect(formatFileSize(2793, labels)).toBe('3 KB');
    expect(formatFileSize(1024 * 1024 * 1.25, labels)).toBe('1.3 MB');
    expect(formatFileSize(1024 * 1024 * 2, labels)).toBe('2 MB');
    expect(formatFileSize(1024 * 1024 * 45.6, labels)).toBe('46 MB');
  });
});

describe('the bundled documents', () => {
  it(
    'are the three programme documents, each saying it is a sample, cited ' + 'where the programme needs them',
    async () => {
      const site = await renderedBundledSite();
      const app = appFor(site);
      const docs = site.model.library.documents;
      expect([...docs.keys()].sort()).toEqual([
        'final-achievement-report',
        'quality-indicators',
        'regional-perinatal-dataset',
      ]);
      for (const doc of docs.values()) {
        const res = await request(app).get(doc.url);
        expect(res.status).toBe(200);
        expect(res.text).toMatch(/sample/i);
        expect(res.text).toContain(`<meta name="description" content="`);
        for (const file of doc.files) {
          expect(file.bytes.toString('latin1')).toMatch(/sample/i);
          expect(file.size).toBeLessThan(40 * 1024);
        }
      }
      expect(docs.get('regional-perinatal-dataset')!.files[0]!.type.kind).toBe('csv');
      expect(docs.get('quality-indicators')!.files[0]!.type.kind).toBe('pdf');
      expect(docs.get('final-achievement-report')!.files[0]!.type.kind).toBe('pdf');
      // The source lists both documents under the regional maternity data, not under a work stream.
      const kpi = (await request(app).get('/work-streams/key-performance-indicators/')).text;
      expect(kpi).not.toContain('href="/documents/quality-indicators/');
      const data = (await request(app).get('/regional-maternity-data/')).text;
      expect(data).toContain('href="/documents/regional-perinatal-dataset/regional-perinatal-dataset-sample.csv"');
      expect(data).toContain(
        'href="/documents/quality-indicators/5-quality-indicators-rationale-and-targets-sample.pdf"',
      );
      const library = (await request(app).get('/documents/')).text;
      for (const doc of docs.values()) expect(library).toContain(`href="${doc.url}"`);
    },
  );
});
