/**
 * `npm run check -- --launch`: what a site must not go live with, each an
 * error at the place to fix it.
 */
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/cli/checkCommand.js';
import { buildSite } from '../../src/content/buildSite.js';
import { escalateForLaunch, reviewLaunchReadiness } from '../../src/content/launchChecks.js';
import { documentPage, memoryFolderOf, tinyPdf, type FixtureFile } from '../helpers/documents.js';
import { BUNDLED_SETTINGS, minimalFiles, page, tempContent } from '../helpers/site.js';

const NOW = Date.parse('2027-06-15T12:00:00Z');
const TODAY = '2027-06-15';
const reviewed = 'lastReviewed: 2027-01-01\nnextReviewDue: 2028-01-01';

/** A site ready to launch: reviewed pages, an accessibility statement reviewed this year, one real document. */
function readySite(extra: Record<string, FixtureFile> = {}): Record<string, FixtureFile> {
  return {
    ...minimalFiles({
      'index.md': page(`title: Home\ndescription: D\n${reviewed}`, '[Documents](/documents/)\n'),
      'accessibility.md': page(`title: Accessibility statement\ndescription: D\n${reviewed}`),
      'documents/index.md': page(`title: Documents\ndescription: D\n${reviewed}`),
    }),
    'documents/report/index.md': documentPage({
      title: 'Annual report',
      category: 'Reports',
      files: 'files:\n  - file: report.pdf',
    }).replace('summary: "A sample document used by the tests."', 'summary: "What the year achieved."'),
    'documents/report/report.pdf': tinyPdf(2, 'report'),
    ...extra,
  };
}

function launchFindings(files: Record<string, FixtureFile>) {
  const folder = memoryFolderOf(files);
  const build = buildSite(folder, { now: NOW });
  expect(build.site, build.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')).not.toBeNull();
  return reviewLaunchReadiness({ folder, build }, { today: TODAY });
}

const at = (ds: readonly { file: string; line: number; column: number; severity: string }[]) =>
  ds.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity}`);

describe('the launch check', () => {
  it('passes a site that is ready', async () => {
    expect(launchFindings(readySite())).toEqual([]);
    const content = tempContent(readySite() as Record<string, string>);
    try {
      const outcome = await runCheck(content.dir, 'https://example.org', content.dir, { now: NOW, launch: true });
      expect(outcome).toEqual({ report: 'Content OK: no problems found.\nReady to launch.\n', exitCode: 0 });
    } finally {
      content.cleanup();
    }
  });

  it(
    'fails on placeholder addresses, overdue reviews and an old ' + 'accessibility statement, each at its place',
    async () => {
      const files = readySite({
        'index.md': page(
          `title: Home\ndescription: D\n${reviewed}`,
          '[Documents](/documents/)\n\nWrite to <team@project.example>.\n',
        ),
        'old.md': page('title: Old\ndescription: D\nlastReviewed: 2025-01-01\nnextReviewDue: 2026-01-01'),
        'accessibility.md': page(
          'title: Accessibility statement\ndescription: D\nlastReviewed: 2026-06-14\nnextReviewDue: 2028-01-01',
        ),
      });
      const content = tempContent(files as Record<string, string>);
      try {
        const ordinary = await runCheck(content.dir, 'https://example.org', content.dir, { now: NOW });
        expect(ordinary.exitCode).toBe(0);
        expect(ordinary.report).toContain(
          './index.md:9:11: warning: team@project.example uses .example, a domain reserved for examples and tests',
        );

        const launch = await runCheck(content.dir, 'https://example.org', content.dir, { now: NOW, launch: true });
        expect(launch.exitCode).toBe(1);
        expect(launch.report.split('\n')).toEqual([
          './accessibility.md:4:15: error: the accessibility statement was last ' +
            'reviewed on 14 June 2026, more than a year ago: check it is still true, ' +
            'change the date it gives for its last review, then set "lastReviewed" ' +
            'to today',
          './index.md:9:11: error: team@project.example uses .example, a domain ' +
            'reserved for examples and tests: no one receives email sent there. ' +
            'Replace it with a real email address before the site goes live',
          './old.md:5:16: error: the review was due on 1 January 2026: check the ' +
            'page is still right, then set "lastReviewed" to today and ' +
            '"nextReviewDue" to the next review date',
          '3 errors, 0 warnings.',
          'Not ready to launch: fix the errors above, then run npm run check -- --launch again.',
          '',
        ]);
      } finally {
        content.cleanup();
      }
    },
  );

  it('does not count a statement reviewed exactly a year ago as old', () => {
    expect(
      launchFindings(
        readySite({
          'accessibility.md': page('title: Accessibility statement\ndescription: D\nlastReviewed: 2026-06-15'),
        }),
      ),
    ).toEqual([]);
  });

  it('needs the site to name its accessibility statement, as a published page with a review date', () => {
    const without = BUNDLED_SETTINGS.replace(/^accessibilityStatement: .*\n/m, '');
    expect(launchFindings(readySite({ 'site.yml': without })).map((d) => d.message)).toEqual([
      'the settings do not say which page is the accessibility statement, ' +
        'which a public sector website must publish: add ' +
        '"accessibilityStatement:" with its web address, for example ' +
        '"accessibilityStatement: /accessibility/"',
    ]);
    const wrong = BUNDLED_SETTINGS.replace(
      /^accessibilityStatement: .*$/m,
      'accessibilityStatement: /accessibility-statement/',
    );
    const line = wrong.split('\n').findIndex((l) => l.startsWith('accessibilityStatement:')) + 1;
    expect(at(launchFindings(readySite({ 'site.yml': wrong })))).toEqual([`site.yml:${line}:25 error`]);
    const unreviewed = launchFindings(
      readySite({ 'accessibility.md': page('title: Accessibility statement\ndescription: D') }),
    );
    expect(unreviewed.map((d) => [d.file, d.message])).toEqual([
      ['accessibility.md', expect.stringMatching(/^the accessibility statement has no "lastReviewed" date/)],
    ]);
  });

  it('fails on a document that looks like a sample but is not marked as one', () => {
    const findings = launchFindings(
      readySite({
        'documents/report/index.md': documentPage({
          title: 'Annual report',
          category: 'Reports',
          files: 'files:\n  - file: report.pdf',
        }),
      }),
    );
    expect(at(findings)).toEqual(['documents/report/index.md:2:8 error']);
    expect(findings[0]!.message).toBe(
      'this document looks like a sample (its summary say so) but is not ' +
        'marked as one: add "sample: true" so that the launch check can make ' +
        'sure visitors are told, or, if it is the real document, take "sample" ' +
        'out of its summary',
    );
  });

  it('fails on a sample document that does not say so in its summary, its file names or its data', () => {
    const doc = (summary: string, file: string) =>
      documentPage({ title: 'Dataset', files: `files:\n  - file: ${file}`, extra: 'sample: true' }).replace(
        'summary: "A sample document used by the tests."',
        `summary: "${summary}"`,
      );
    const quiet = launchFindings(
      readySite({
        'documents/data/index.md': doc('The regional dataset.', 'data.csv'),
        'documents/data/data.csv': 'Item,Value\nBirth weight,grams\n',
      }),
    );
    expect(quiet.map((d) => `${d.line}:${d.column} ${d.message.slice(0, 60)}`)).toEqual([
      "4:10 this sample document's summary does not say it is a sample: ",
      '8:11 the file name "data.csv" does not say it is a sample, and a ',
      '8:11 the data in "data.csv" does not say it is a sample: add a co',
    ]);
    expect(quiet[1]!.message).toContain('rename it, for example to "data-sample.csv"');
    const marked = launchFindings(
      readySite({
        'documents/data/index.md': doc('A sample of the dataset.', 'data-sample.csv'),
        'documents/data/data-sample.csv': 'Item,Status\nBirth weight,Sample only\n',
      }),
    );
    expect(marked).toEqual([]);
  });

  it('makes placeholder addresses errors only when launching', () => {
    const warning = {
      file: 'site.yml',
      line: 16,
      column: 15,
      severity: 'warning' as const,
      message: 'x',
      rule: 'reserved-domain',
    };
    const other = { ...warning, rule: 'sentence-length' };
    expect(escalateForLaunch([warning, other]).map((d) => d.severity)).toEqual(['error', 'warning']);
  });
});
