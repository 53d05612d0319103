/**
 * Where the preview (npm run dev) shows problems: where the person is looking.
 *
 * - A problem in a page's files is shown on that page. While the content has
 *   errors, a page whose files have errors is replaced by an error page naming
 *   them; every other page is served from the last version without errors,
 *   with a box saying it may be out of date and why. One person's typo never
 *   stops everyone else previewing.
 * - Errors that concern every page (the site settings, a template) replace
 *   every page, as does having no valid version yet.
 * - Warnings, and errors only the public site would suffer, are shown in a
 *   box on the page they concern, which is served as usual.
 * - /__dev/problems lists every problem with the lines around it.
 * The box is the site's own partial, rendered with escaped text; nothing of
 * it reaches the public site or the export.
 */
import type { RequestHandler, Response } from 'express';
import { sortDiagnostics, type Diagnostic } from '../content/diagnostics.js';
import { mapProblems, type ProblemMap } from '../content/problemScope.js';
import type { ContentStatus, LiveSite } from '../live/liveSite.js';
import { renderErrorPage } from '../render/errorPage.js';
import type { PreparedResponse } from '../render/prepared.js';
import { IMMUTABLE_CACHE, sendPrepared } from './respond.js';

export const PROBLEMS_URL = '/__dev/problems';

/** Items listed in a page's box at most; the problems page has them all. */
export const MAX_BOX_ITEMS = 20;

const isError = (d: Diagnostic) => d.severity === 'error';
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function previewProblems(live: LiveSite, pathPrefix: string, reloadScriptUrl: string): RequestHandler {
  // Worked out once per content status, not once per request: a request's work does not grow with the content.
  const sorted = new WeakMap<ContentStatus, SortedProblems>();
  const problemsOf = (status: ContentStatus) => {
    let found = sorted.get(status);
    if (!found) sorted.set(status, (found = sortProblems(status.diagnostics)));
    return found;
  };

  const errorPage = (
    res: Response,
    method: string,
    diagnostics: readonly Diagnostic[],
    options: { status: number; heading?: string; intro?: string; withWarnings?: boolean },
  ) => {
    let stylesheetUrl: string | null;
    try {
      stylesheetUrl = live.assets().url('main.css');
    } catch {
      stylesheetUrl = null;
    }
    const html = renderErrorPage({
      diagnostics,
      fileText: (file) => live.fileText(file),
      pathPrefix,
      stylesheetUrl,
      reloadScriptUrl,
      hasPreviousVersion: live.previewStatus().state === 'stale',
      ...(options.heading ? { heading: options.heading } : {}),
      ...(options.intro ? { intro: options.intro } : {}),
      ...(options.withWarnings ? { withWarnings: true } : {}),
    });
    sendHtml(res, method, options.status, html);
  };

  return (req, res, next) => {
    const path = req.path;
    if (path.startsWith('/assets/')) {
      // Served from the newest assets, even before any valid content loaded.
      const asset = live.assets().byUrl.get(path);
      if (asset) return sendPrepared(req, res, asset.response, { cacheControl: IMMUTABLE_CACHE });
    }
    // Health checks by their exact URL: "/readyz#%zz" is not one (Express's req.path would say it is).
    const isHealthCheck = req.url === '/healthz' || req.url === '/readyz';
    if (isHealthCheck || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    const status = live.previewStatus();
    const site = live.currentPreview();
    const problems = problemsOf(status);
    const { errors } = problems;

    if (req.url === PROBLEMS_URL) {
      const heading =
        errors.length > 0
          ? `The site has ${plural(errors.length, 'problem')} to fix`
          : status.diagnostics.length > 0
            ? `No problems to fix, ${plural(status.diagnostics.length, 'warning')}`
            : 'No problems to fix';
      return errorPage(res, req.method, status.diagnostics, { status: 200, heading });
    }
    const stale = status.state === 'stale';
    if (!site || status.state === 'none' || (stale && problems.siteHasErrors)) {
      return errorPage(res, req.method, status.diagnostics, { status: 500 });
    }

    const ofPage = problems.pages.get(path) ?? [];
    const pageErrors = problems.pageErrorCounts.get(path) ?? 0;
    if (stale && pageErrors > 0) {
      const others = errors.length - pageErrors;
      return errorPage(res, req.method, ofPage, {
        status: 500,
        heading: `This page has ${plural(pageErrors, 'problem')} to fix`,
        withWarnings: true,
        intro:
          (status.brokenPagesLeftOut
            ? 'Other pages are shown as they are now'
            : 'Other pages are shown as they were before the change') +
          (others > 0 ? `, and ${plural(others, 'other problem')} in other files: see ${PROBLEMS_URL}.` : '.'),
      });
    }

    const response = site.pages.has(path) ? site.pages.get(path) : undefined;
    if (!response) {
      // A page added since the last version without errors: it is shown once they are fixed.
      if (stale && isPageFile(path, live))
        return errorPage(res, req.method, errors, {
          status: 500,
          heading: 'This page cannot be shown yet',
          intro:
            'This page is new since the last version of the content without problems. The preview shows it ' +
            'once the problems below are fixed; other pages are shown as they were before.',
        });
      return next();
    }
    const box = boxFor({
      live,
      source: site.model.pages.get(path)?.source ?? '',
      items: ofPage,
      blocking: stale
        ? { count: errors.length, files: problems.errorFiles, upToDate: status.brokenPagesLeftOut === true }
        : null,
      pathPrefix,
    });
    if (!box) return next();
    const html = withBox(response, box);
    if (html === null) return next();
    sendHtml(res, req.method, 200, html);
  };
}

/** A status's problems sorted once: by the pages they concern, and its errors with the files they are in. */
interface SortedProblems extends ProblemMap {
  errors: Diagnostic[];
  errorFiles: string[];
  siteHasErrors: boolean;
  /** How many of each page's problems are errors, by its address. */
  pageErrorCounts: Map<string, number>;
}

function sortProblems(diagnostics: readonly Diagnostic[]): SortedProblems {
  const map = mapProblems(sortDiagnostics(diagnostics));
  const errors = diagnostics.filter(isError);
  const pageErrorCounts = new Map<string, number>();
  for (const [url, list] of map.pages) pageErrorCounts.set(url, list.filter(isError).length);
  return {
    ...map,
    errors,
    errorFiles: [...new Set(errors.map((d) => d.file))],
    siteHasErrors: map.site.some(isError),
    pageErrorCounts,
  };
}

/** The page's box: what is wrong in its files, and why it may be out of date. Null when there is nothing to say. */
function boxFor(input: {
  live: LiveSite;
  source: string;
  /** The page's own problems, in order. */
  items: readonly Diagnostic[];
  /** Errors elsewhere that keep the preview on its last good version: how many, and in which files. */
  blocking: { count: number; files: readonly string[]; upToDate: boolean } | null;
  pathPrefix: string;
}): string | null {
  const { items, pathPrefix } = input;
  const blocking = input.blocking !== null && input.blocking.count > 0 ? input.blocking : null;
  if (items.length === 0 && !blocking) return null;
  let outOfDate = '';
  if (blocking) {
    const { files, count, upToDate } = blocking;
    const named = files.slice(0, 3).map((f) => `${pathPrefix}${f}`);
    const more = files.length > 3 ? ` and ${plural(files.length - 3, 'other file')}` : '';
    const problemsIn = `${named.join(', ')}${more} ${files.length === 1 ? 'has' : 'have'} ${plural(count, 'problem')}`;
    outOfDate = upToDate
      ? `This page is up to date, but ${problemsIn} to fix, and the pages with them show only their problems. ` +
        'Fix and save: the pages update by themselves.'
      : `This page is shown as it was before the latest change, because ${problemsIn} to fix. Fix and save: the ` +
        'pages update by themselves.';
  }
  const shown = items.slice(0, MAX_BOX_ITEMS);
  const listed = shown.map((d) => ({
    where:
      `${isError(d) ? 'Error' : 'Warning'}` +
      `${d.file === input.source ? '' : ` in ${pathPrefix}${d.file}`}, line ${d.line}, column ${d.column}`,
    message: capitalise(d.message),
  }));
  if (items.length > shown.length)
    listed.push({ where: 'And more', message: `${plural(items.length - shown.length, 'other')}: see every problem.` });
  const heading =
    items.length > 0
      ? `${plural(items.length, 'thing')} to check on this page`
      : blocking?.upToDate
        ? 'Other pages have problems to fix'
        : 'This page may be out of date';
  try {
    return input.live.templates().render('partials/preview-problems.njk', {
      heading,
      outOfDate,
      items: listed,
      problemsUrl: PROBLEMS_URL,
    });
  } catch {
    // A template being edited may not render: the page is then served without its box.
    return null;
  }
}

/** The page's HTML with the box after its main heading; null for a page of another shape. */
function withBox(response: PreparedResponse, box: string): string | null {
  const html = response.body.toString('utf8');
  const main = html.indexOf('id="maincontent"');
  if (main === -1) return null;
  const heading = html.indexOf('</h1>', main);
  const at = heading !== -1 ? heading + '</h1>'.length : html.indexOf('>', main) + 1;
  return `${html.slice(0, at)}\n${box}${html.slice(at)}`;
}

/** "/news/" is a page file on disk (news.md or news/index.md), read with the latest change. */
function isPageFile(path: string, live: LiveSite): boolean {
  if (!path.endsWith('/')) return false;
  const name = path.slice(1, -1);
  const candidates = name === '' ? ['index.md'] : [`${name}.md`, `${name}/index.md`];
  return candidates.some((file) => live.fileText(file) !== null);
}

function sendHtml(res: Response, method: string, status: number, html: string): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(method === 'HEAD' ? undefined : html);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
