/** The content check as a function: a report for people and an exit code. */
import path from 'node:path';
import type { SourcePage } from '../content/buildSite.js';
import { hasErrors, sortDiagnostics } from '../content/diagnostics.js';
import { reviewContent, type UsedFilesContributor } from '../content/governance.js';
import { escalateForLaunch, reviewLaunchReadiness } from '../content/launchChecks.js';
import { loadContent } from '../content/loadContent.js';
import { describeScheduleValue, ukDate } from '../content/publication.js';
import { printable, printableLines } from '../content/printable.js';
import { renderSite } from '../render/siteRenderer.js';
import { formatReport } from './report.js';

export interface CheckOutcome {
  report: string;
  exitCode: 0 | 1;
}

export interface CheckOptions {
  /**
   * The launch check: overdue reviews, placeholder addresses, unmarked samples and an old accessibility statement are
   * errors.
   */
  launch?: boolean;
  /** The older name of `launch`. */
  strict?: boolean;
  /** The instant the check runs at (scheduled pages, review dates). */
  now?: number;
  usedFiles?: readonly UsedFilesContributor[];
}

export async function runCheck(
  contentDir: string,
  siteUrl: string,
  cwd: string = process.cwd(),
  options: CheckOptions = {},
): Promise<CheckOutcome> {
  const prefix = `${path.relative(cwd, contentDir) || '.'}/`;
  const now = options.now ?? Date.now();
  const { folder, build } = await loadContent(contentDir, now, { writingAdvice: true });
  if (!folder) return { report: formatReport(build.diagnostics, prefix), exitCode: 1 };
  // Rendering every page of the preview (the server renders them only when
  // first asked) catches template problems before a visitor would meet them.
  if (build.preview) {
    const rendered = renderSite(build.preview, { siteUrl, preview: {} });
    for (const url of rendered.pages.keys()) rendered.pages.html(url);
  }
  const launch = options.launch === true || options.strict === true;
  const governance = reviewContent(
    { folder, build },
    {
      today: ukDate(now),
      ...(launch ? { strict: true } : {}),
      ...(options.usedFiles ? { usedFiles: options.usedFiles } : {}),
    },
  );
  const found = [...build.diagnostics, ...governance.diagnostics];
  const diagnostics = sortDiagnostics(
    launch ? [...escalateForLaunch(found), ...reviewLaunchReadiness({ folder, build }, { today: ukDate(now) })] : found,
  );
  const sections = [listDrafts(governance.drafts, prefix), listScheduled(governance.scheduled, prefix)].filter(
    (lines) => lines.length > 0,
  );
  const verdict = !launch
    ? ''
    : hasErrors(diagnostics)
      ? 'Not ready to launch: fix the errors above, then run npm run check -- --launch again.\n'
      : 'Ready to launch.\n';
  return {
    report: printableLines(
      [...sections.map((lines) => `${lines.join('\n')}\n\n`), formatReport(diagnostics, prefix), verdict].join(''),
    ),
    exitCode: hasErrors(diagnostics) ? 1 : 0,
  };
}

function listDrafts(drafts: readonly SourcePage[], prefix: string): string[] {
  if (drafts.length === 0) return [];
  return [
    'Drafts (shown only in the preview, npm run dev):',
    ...drafts.map(({ page }) => `  ${printable(`${prefix}${page.source} – ${page.frontMatter.title}`)}`),
  ];
}

function listScheduled(scheduled: readonly SourcePage[], prefix: string): string[] {
  if (scheduled.length === 0) return [];
  const words = {
    scheduled: 'not published yet',
    published: 'published now',
    expired: 'expired',
    draft: 'draft',
  } as const;
  return [
    'Scheduled pages (UK time):',
    ...scheduled.map(({ page, state }) => {
      const fm = page.frontMatter;
      const from = fm.publishDate ? ` from ${describeScheduleValue(fm.publishDate)}` : '';
      const until = fm.expiryDate ? ` until ${describeScheduleValue(fm.expiryDate)}` : '';
      return `  ${printable(`${prefix}${page.source} – ${fm.title}`)}: shown${from}${until} (${words[state]})`;
    }),
  ];
}
