/**
 * What a site must not go live with, checked by `npm run check -- --launch`
 * (or `--strict`). Every finding is an error:
 *
 * - addresses at domains reserved for examples (only warnings in an
 *   ordinary check, where a placeholder is fine while the site is built);
 * - sample documents that do not tell visitors they are samples, and
 *   documents that look like samples without being declared as such;
 * - no accessibility statement, or one not reviewed for more than a year
 *   (UK public sector sites must publish one and keep it up to date).
 *
 * Overdue page reviews are the other launch blocker; governance reports
 * them, as errors when asked to be strict.
 *
 * Pure, like governance: the folder, the build and today's date go in.
 */
import { SETTINGS_FILE } from './buildSite.js';
import { formatLongDate } from './dates.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { GovernanceContext } from './governance.js';
import type { LibraryDocument } from './model.js';
import type { SourcePositions } from './positions.js';
import { addOneYear } from './publication.js';
import { RESERVED_DOMAIN_RULE } from './reservedDomains.js';
import { parseYaml } from './yaml.js';

/** Rules whose warnings are errors when the site is about to go live. */
const LAUNCH_BLOCKING_RULES: ReadonlySet<string> = new Set([RESERVED_DOMAIN_RULE]);

const SAMPLE_WORD = /\bsamples?\b/i;

/** The build's and governance's warnings, with those that block a launch made errors. */
export function escalateForLaunch(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.map((d) =>
    d.severity === 'warning' && d.rule !== undefined && LAUNCH_BLOCKING_RULES.has(d.rule)
      ? { ...d, severity: 'error' }
      : d,
  );
}

export interface LaunchOptions {
  /** Today's date in the UK, YYYY-MM-DD. */
  today: string;
}

export function reviewLaunchReadiness(context: GovernanceContext, options: LaunchOptions): Diagnostic[] {
  const { build } = context;
  if (!build.site) return [];
  const text = (file: string) => context.folder.entries.find((e) => e.path === file)?.bytes?.toString('utf8') ?? '';
  return [
    ...checkAccessibilityStatement(context, options.today, text),
    ...[...build.site.library.documents.values()].flatMap((doc) => {
      const page = build.site!.pages.get(doc.url);
      return page ? checkSampleDocument(doc, page.positions, page.bodyHtml) : [];
    }),
  ];
}

function checkAccessibilityStatement(
  { build }: GovernanceContext,
  today: string,
  text: (file: string) => string,
): Diagnostic[] {
  const site = build.site!;
  const where = site.settings.accessibilityStatement;
  const settings = parseYaml(text(SETTINGS_FILE));
  const at = (key: string) => (settings.ok ? settings.value.positions.at([key]) : { line: 1, column: 1 });
  if (!where) {
    return [
      diagnostic(
        SETTINGS_FILE,
        'the settings do not say which page is the accessibility statement, ' +
          'which a public sector website must publish: add ' +
          '"accessibilityStatement:" with its web address, for example ' +
          '"accessibilityStatement: /accessibility/"',
      ),
    ];
  }
  const page = site.pages.get(where.endsWith('/') ? where : `${where}/`);
  if (!page) {
    return [
      diagnostic(
        SETTINGS_FILE,
        `"accessibilityStatement" is ${where}, which is not a published page: ` +
          `give the web address of the accessibility statement`,
        at('accessibilityStatement'),
      ),
    ];
  }
  const reviewed = page.frontMatter.lastReviewed;
  if (!reviewed) {
    return [
      diagnostic(
        page.source,
        'the accessibility statement has no "lastReviewed" date: review it, then ' +
          'add "lastReviewed: YYYY-MM-DD" (it must be reviewed at least once a year)',
      ),
    ];
  }
  if (addOneYear(reviewed) < today) {
    return [
      diagnostic(
        page.source,
        `the accessibility statement was last reviewed on ` +
          `${formatLongDate(reviewed)}, more than a year ago: check it is still ` +
          `true, change the date it gives for its last review, then set ` +
          `"lastReviewed" to today`,
        page.positions.at(['lastReviewed']),
      ),
    ];
  }
  return [];
}

/**
 * A sample must say so wherever a visitor meets it: in its summary (shown
 * in the documents list and at the top of its page), in each file's name,
 * and inside the files the site can read (a CSV file's data, a PDF made from
 * the page text).
 */
function checkSampleDocument(doc: LibraryDocument, positions: SourcePositions, bodyHtml: string): Diagnostic[] {
  const fm = doc.frontMatter;
  const at = (path: (string | number)[]) => positions.at(path);
  if (fm.sample !== true) {
    const where = [
      SAMPLE_WORD.test(fm.title) ? 'title' : null,
      SAMPLE_WORD.test(fm.summary) ? 'summary' : null,
      fm.files.some((f) => /sample/i.test(f.file)) ? 'file names' : null,
    ].filter((w): w is string => w !== null);
    if (where.length === 0) return [];
    return [
      diagnostic(
        doc.source,
        `this document looks like a sample (its ${where.join(' and ')} say so) ` +
          `but is not marked as one: add "sample: true" so that the launch check ` +
          `can make sure visitors are told, or, if it is the real document, take ` +
          `"sample" out of its ${where.join(' and ')}`,
        at(['title']),
      ),
    ];
  }
  const problems: Diagnostic[] = [];
  if (!SAMPLE_WORD.test(fm.summary)) {
    problems.push(
      diagnostic(
        doc.source,
        "this sample document's summary does not say it is a sample: visitors " +
          'read the summary in the documents list and at the top of the page, so ' +
          'say so there, for example "This is a sample version of …"',
        at(['summary']),
      ),
    );
  }
  fm.files.forEach((declared, i) => {
    const file = doc.files.find((f) => f.name === declared.file);
    if (!/sample/i.test(declared.file)) {
      problems.push(
        diagnostic(
          doc.source,
          `the file name "${declared.file}" does not say it is a sample, and a ` +
            `downloaded file is seen without this page: rename it, for example to "${sampleName(declared.file)}"`,
          at(['files', i, 'file']),
        ),
      );
    }
    if (file?.type.kind === 'csv' && !SAMPLE_WORD.test(file.bytes.toString('utf8'))) {
      problems.push(
        diagnostic(
          doc.source,
          `the data in "${declared.file}" does not say it is a sample: add a ` +
            `column or a row saying so, so that the file says it wherever it is opened`,
          at(['files', i, 'file']),
        ),
      );
    }
    if (declared.generatedFromPage && !SAMPLE_WORD.test(bodyHtml)) {
      problems.push(
        diagnostic(
          doc.source,
          `the page text, which "${declared.file}" is made from, does not say it ` +
            `is a sample: say so in the text, then run npm run build:pdfs`,
          at(['files', i, 'file']),
        ),
      );
    }
  });
  return problems;
}

function sampleName(file: string): string {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? `${file.slice(0, dot)}-sample${file.slice(dot)}` : `${file}-sample`;
}
