/**
 * The slips staff make most often, each answered with one message, the
 * helpful one, at the file, line and column to change (issue 17).
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, type Diagnostic } from '../../src/content/diagnostics.js';
import { buildLibrarySite, documentPage } from '../helpers/documents.js';
import { buildFromFiles, minimalFiles, page } from '../helpers/site.js';

/** Every diagnostic of one file, as `npm run check` prints it. */
function report(files: Record<string, string>, file: string): string[] {
  return buildFromFiles(minimalFiles(files))
    .diagnostics.filter((d) => d.file === file)
    .map((d) => formatDiagnostic(d));
}

function lines(diagnostics: readonly Diagnostic[], file: string): string[] {
  return diagnostics.filter((d) => d.file === file).map((d) => formatDiagnostic(d));
}

describe('one mistake, one message', () => {
  it('a misspelt required key gives only the did-you-mean', () => {
    expect(report({ 'x.md': page('tittle: X\ndescription: D') }, 'x.md')).toEqual([
      'x.md:2:1: error: unknown key "tittle". Did you mean "title"?',
    ]);
  });

  it('a page with an error is not reported again by the footer link to it', () => {
    const found = buildFromFiles(minimalFiles({ 'index.md': '---\ntitle: Home\n---\n' })).diagnostics;
    expect(found.map((d) => formatDiagnostic(d))).toEqual(['index.md:2:1: error: "description" is required']);
  });

  it('a UK-style date gives one message with the date to write', () => {
    expect(
      report(
        { 'x.md': page('title: X\ndescription: D\nlastReviewed: 01/12/2026\nnextReviewDue: 1 March 2027') },
        'x.md',
      ),
    ).toEqual([
      'x.md:4:15: error: "lastReviewed" must be written YYYY-MM-DD: for 1 December 2026, write 2026-12-01',
      'x.md:5:16: error: "nextReviewDue" must be written YYYY-MM-DD: for 1 March 2027, write 2027-03-01',
    ]);
  });

  it('an impossible date or a word that is no date gives one message each', () => {
    expect(
      report({ 'x.md': page('title: X\ndescription: D\nlastReviewed: 2026-02-30\nnextReviewDue: soon') }, 'x.md'),
    ).toEqual([
      'x.md:4:15: error: "lastReviewed" is not a real calendar date: check the month (01-12) and the day',
      'x.md:5:16: error: "nextReviewDue" must be a date written YYYY-MM-DD, for example 2026-11-25',
    ]);
  });

  it('a UK-style date and time to publish at gives the form to write', () => {
    expect(report({ 'x.md': page('title: X\ndescription: D\npublishDate: 01/12/2026 9:30') }, 'x.md')).toEqual([
      'x.md:4:14: error: "publishDate" must be written YYYY-MM-DD HH:MM: for 1 December 2026 at 09:30, ' +
        'write 2026-12-01 09:30',
    ]);
  });
});

describe('documents', () => {
  it('a Word file names the file, the types accepted and why Word is not one of them', () => {
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage({ files: 'files:\n  - file: data.csv\n  - file: minutes.docx' }),
      'documents/data/data.csv': 'A,B\n1,2\n',
    });
    const found = lines(result.diagnostics, 'documents/data/index.md');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^documents\/data\/index\.md:9:11: error: "minutes\.docx" is a Word document, which is not accepted: /,
    );
    expect(found[0]).toContain('tracked changes');
    expect(found[0]).toContain('Save it as a PDF');
    expect(found[0]).toContain('The documents library offers .csv, .pdf, .ods or .xlsx files only.');
  });
});

describe('YAML slips, recognised and explained', () => {
  it('an unquoted colon in a title: put the title in double quotes', () => {
    expect(report({ 'x.md': page('title: Survey results: what units told us\ndescription: D') }, 'x.md')).toEqual([
      'x.md:2:8: error: the value of "title" contains a colon followed by a space, which YAML reads as the start ' +
        'of another setting: put the value in double quotes, title: "Survey results: what units told us"',
    ]);
  });

  it('a value starting with YAML syntax, or an unclosed quotation mark, gets the same kind of advice', () => {
    expect(report({ 'x.md': page('title: - a list?\ndescription: D') }, 'x.md')).toEqual([
      'x.md:2:8: error: the value of "title" starts with "-", which YAML reads as part of its own syntax: ' +
        'put the value in double quotes, title: "- a list?"',
    ]);
    expect(report({ 'x.md': page('title: "Survey results\ndescription: D') }, 'x.md')).toEqual([
      'x.md:2:8: error: the value of "title" opens a quotation mark (") but does not close it: add " at the end ' +
        'of the value (to show a quotation mark inside it, write \\")',
    ]);
  });

  const FILES_SHAPES: Record<string, string> = {
    'an item setting one space short': 'files:\n  - file: data.csv\n   title: The data',
    'an item setting at the dash': 'files:\n  - file: data.csv\n  title: The data',
    'a later item less indented': 'files:\n    - file: data.csv\n  - file: more.csv',
    'a later item more indented':
      'files:\n  - file: data.csv\n    title: The data\n   - file: more.csv\n    title: More',
  };
  for (const [shape, files] of Object.entries(FILES_SHAPES)) {
    it(`a files: list indented wrongly (${shape}) gives one message saying how to indent it`, () => {
      const result = buildLibrarySite({
        'documents/data/index.md': documentPage({ files }),
        'documents/data/data.csv': 'A,B\n1,2\n',
        'documents/data/more.csv': 'A,B\n1,2\n',
      });
      const found = lines(result.diagnostics, 'documents/data/index.md');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(
        /^documents\/data\/index\.md:\d+:\d+: error: the list under "files:" is not indented evenly: /,
      );
      expect(found[0]).toContain('indent each item with two spaces, then a dash and a space ("  - file: data.csv")');
    });
  }

  it('settings left unindented under navigation: or files: are one message at that key', () => {
    expect(report({ 'x.md': page('title: X\ndescription: D\nnavigation:\norder: 1') }, 'x.md')).toEqual([
      'x.md:4:1: error: the settings under "navigation:" must be indented below it, each with two spaces: ' +
        'write "  order: 1"',
    ]);
    const result = buildLibrarySite({
      'documents/data/index.md': documentPage({ files: 'files:\nfile: data.csv' }),
      'documents/data/data.csv': 'A,B\n1,2\n',
    });
    expect(lines(result.diagnostics, 'documents/data/index.md')).toEqual([
      'documents/data/index.md:7:1: error: the list under "files:" must be indented below it: write each item ' +
        'with two spaces, then a dash and a space, "  - file: data.csv"',
    ]);
  });
});

describe('silent changes of meaning get a warning saying what will happen and what to write', () => {
  it('a tab at the start of a body line: the paragraph would become a code block', () => {
    const found = report({ 'x.md': page('title: X\ndescription: D', 'Intro.\n\n\tIndented by mistake.\n') }, 'x.md');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^x\.md:7:1: warning: this line starts with a tab, so the page shows it, /);
    expect(found[0]).toContain('as computer code, in a typewriter font: remove the tab at the start of the line');
  });

  it('HTML such as <strong> is shown as written: write Markdown instead (code spans are left alone)', () => {
    const found = report(
      {
        'x.md': page(
          'title: X\ndescription: D',
          'Some <strong>very</strong> important words, and `<b>` in code.\n\n| A |\n| --- |\n| <br> |\n',
        ),
      },
      'x.md',
    );
    expect(found).toEqual([
      'x.md:5:6: warning: <strong> is HTML, which this site shows exactly as written, so visitors would see ' +
        '"<strong>" on the page: write **bold text** instead',
      'x.md:9:3: warning: <br> is HTML, which this site shows exactly as written, so visitors would see "<br>" ' +
        'on the page: to start a new line, end the line before with a backslash (\\); for a new paragraph, ' +
        'leave an empty line',
    ]);
  });

  it("a link to the preview's own address works only on the author's computer: write the path", () => {
    const found = report(
      {
        'x.md': page(
          'title: X\ndescription: D',
          'See [the about page](http://localhost:3000/about/#aims) and [data](http://127.0.0.1:3001/documents/).\n',
        ),
        'about.md': page('title: About\ndescription: D'),
      },
      'x.md',
    );
    expect(found).toEqual([
      'x.md:5:22: warning: the link "http://localhost:3000/about/#aims" points to the preview on your own ' +
        'computer, which visitors cannot reach: write its address on this site, "/about/#aims"',
      'x.md:5:68: warning: the link "http://127.0.0.1:3001/documents/" points to the preview on your own ' +
        'computer, which visitors cannot reach: write its address on this site, "/documents/"',
    ]);
  });
});

describe('links', () => {
  it("a link to a page's file suggests the page's real address, found among the pages", () => {
    const files = {
      'work-streams/index.md': page('title: Work streams\ndescription: D'),
      'work-streams/maternity-systems-survey.md': page('title: Survey\ndescription: D'),
      'work-streams/kpis.md': page('title: KPIs\ndescription: D', 'See [the survey](maternity-systems-survey.md).\n'),
      'about.md': page('title: About\ndescription: D', 'See [the survey](maternity-systems-survey.md).\n'),
      'other.md': page('title: Other\ndescription: D', 'See [nothing](nothing-here.md).\n'),
    };
    expect(report(files, 'work-streams/kpis.md')).toEqual([
      'work-streams/kpis.md:5:18: error: the link "maternity-systems-survey.md" names the page\'s file: link ' +
        'to its web address instead, "/work-streams/maternity-systems-survey/"',
    ]);
    expect(report(files, 'about.md')[0]).toContain('instead, "/work-streams/maternity-systems-survey/"');
    expect(report(files, 'other.md')).toEqual([
      'other.md:5:15: error: the link "nothing-here.md" names a file, and no page\'s file is called ' +
        'nothing-here.md: link to the web address of the page you mean, such as "/about/" for the file about.md',
    ]);
  });

  it('a draft with broken links is checked like any page, and the message says it is a draft', () => {
    const found = report(
      { 'x.md': page('title: X\ndescription: D\ndraft: true', 'See [a](/nowhere/) and [b](/neither/).\n') },
      'x.md',
    );
    expect(found).toHaveLength(2);
    for (const line of found)
      expect(line).toMatch(/error: .*This page is a draft: correct the link before you publish it\.$/);
  });
});

describe('a file with a front matter error', () => {
  it('reports its other problems in the same round: the body is still checked', () => {
    const found = report(
      {
        'x.md': page(
          'tittle: X\ndescription: D\nlastReviewed: 01/12/2026',
          '# A heading\n\nSee [a missing page](/nowhere/) and <b>this</b>.\n',
        ),
      },
      'x.md',
    );
    expect(found).toEqual([
      'x.md:2:1: error: unknown key "tittle". Did you mean "title"?',
      'x.md:4:15: error: "lastReviewed" must be written YYYY-MM-DD: for 1 December 2026, write 2026-12-01',
      'x.md:6:1: warning: the page title is already the main heading: start body headings at "##"',
      'x.md:8:22: error: the link "/nowhere/" points to /nowhere/, which is not a page on this site.',
      'x.md:8:37: warning: <b> is HTML, which this site shows exactly as written, so visitors would see "<b>" ' +
        'on the page: write **bold text** instead',
    ]);
  });

  it('reports body problems when the YAML itself cannot be read', () => {
    const found = report(
      { 'x.md': page('title: Results: what we found\ndescription: D', 'See [a missing page](/nowhere/).\n') },
      'x.md',
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(
      /^x\.md:2:8: error: the value of "title" contains a colon .* put the value in double quotes/,
    );
    expect(found[1]).toBe(
      'x.md:5:22: error: the link "/nowhere/" points to /nowhere/, which is not a page on this site.',
    );
  });
});

describe('what a PDF whose pages cannot be counted gets', () => {
  it('one warning at the document page, saying only what the page will show', () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0, 0xff, 0xfe, 0x80, 0x00, 0x1b, 0x5b])]);
    const result = buildLibrarySite({
      'documents/report/index.md': documentPage({ files: 'files:\n  - file: report.pdf' }),
      'documents/report/report.pdf': pdf,
    });
    expect(lines(result.diagnostics, 'documents/report/report.pdf')).toEqual([]);
    expect(lines(result.diagnostics, 'documents/report/index.md')).toEqual([
      'documents/report/index.md:8:11: warning: the document page shows "report.pdf" without its number of pages, ' +
        'which could not be read from the file',
    ]);
  });
});

describe('a link to a file from a draft', () => {
  it('gives the real address, then says the page is a draft, as two sentences', () => {
    const found = report(
      {
        'survey.md': page('title: Survey\ndescription: D'),
        'x.md': page('title: X\ndescription: D\ndraft: true', 'See [the survey](survey.md).\n'),
      },
      'x.md',
    );
    expect(found).toEqual([
      'x.md:6:18: error: the link "survey.md" names the page\'s file: link to its web address instead, "/survey/". ' +
        'This page is a draft: correct the link before you publish it.',
    ]);
  });
});

describe('explaining a slip at the size limit', () => {
  it('costs time in proportion to the line, however many spaces it holds', () => {
    // The patterns that read a "key: value" line and its comment backtracked over runs of spaces: a site.yml line
    // of 60,000 spaces before "y: z" took 4 s of CPU.
    const settings = `${minimalFiles()['site.yml']}\nextra: x${' '.repeat(60_000)}y: z\n`;
    const before = process.cpuUsage();
    const found = report({ 'site.yml': settings }, 'site.yml');
    const used = process.cpuUsage(before);
    const ms = (used.user + used.system) / 1000;
    expect(found.join('\n')).toContain('the value of "extra" contains a colon followed by a space');
    expect(ms, `cost ${ms.toFixed(0)} ms`).toBeLessThan(100 + (settings.length / 1024) * 6);
  });
});
