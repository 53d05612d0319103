/** Checks that links between pages point at pages that exist. */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Page } from './model.js';
import type { PublicationState } from './publication.js';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const BASE = 'http://site.invalid';

type LinkTarget = { kind: 'external' } | { kind: 'fragment'; id: string } | { kind: 'invalid' } | { kind: 'path'; pathname: string };

/**
 * Where each link of a page points, worked out once per Page object: pages
 * never change after parsing, and the page cache hands the same object to
 * every build, so a rebuild after one edit parses one page's links, not all.
 */
const resolved = new WeakMap<Page, { targets: LinkTarget[]; ids: Set<string> }>();

function linksOf(page: Page): { targets: LinkTarget[]; ids: Set<string> } {
  let entry = resolved.get(page);
  if (!entry) {
    entry = { targets: page.links.map((link) => linkTarget(link.href, page)), ids: new Set(page.headings.map((h) => h.id)) };
    resolved.set(page, entry);
  }
  return entry;
}

function linkTarget(href: string, page: Pick<Page, 'role' | 'url'>): LinkTarget {
  if (HAS_SCHEME.test(href) || href.startsWith('//')) return { kind: 'external' };
  if (href.startsWith('#')) return { kind: 'fragment', id: href.length > 1 ? decodeSafe(href.slice(1)) : '' };
  try {
    return { kind: 'path', pathname: decodeSafe(new URL(href, `${BASE}${page.role === 'page' ? page.url : '/'}`).pathname) };
  } catch {
    return { kind: 'invalid' };
  }
}

/** Link problems reported per page at most, the last line counting the rest: a page of broken links costs one screen. */
export const MAX_LINK_PROBLEMS_PER_PAGE = 20;

export function checkLinks(
  pages: readonly Page[],
  routable: ReadonlyMap<string, Page>,
  diagnostics: Diagnostic[],
  extraPaths: ReadonlySet<string> = new Set(),
  unpublished: ReadonlyMap<string, PublicationState> = new Map(),
): void {
  for (const page of pages) {
    const { targets, ids } = linksOf(page);
    const found: Diagnostic[] = [];
    const unreported = { error: 0, warning: 0 };
    const report = (d: Diagnostic) => {
      if (found.length < MAX_LINK_PROBLEMS_PER_PAGE) found.push(d);
      else unreported[d.severity]++;
    };
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i]!;
      if (target.kind === 'external') continue;
      // Most links point to pages that exist: settle those before building any message.
      if (target.kind === 'path' && (routable.has(target.pathname) || extraPaths.has(target.pathname))) continue;
      const link = page.links[i]!;
      const href = link.href;
      const at = { line: link.line, column: link.column };
      if (target.kind === 'fragment') {
        if (target.id !== '' && !ids.has(target.id)) {
          report(diagnostic(page.source, `the link "${href}" points to no heading on this page`, at));
        }
        continue;
      }
      if (target.kind === 'invalid') {
        report(diagnostic(page.source, `the link "${href}" is not a valid address`, at));
        continue;
      }
      const pathname = target.pathname;
      const state = unpublished.get(pathname);
      if (state) {
        report(unpublishedLink(page.source, href, pathname, state, at));
        continue;
      }
      if (routable.has(`${pathname}/`)) {
        report(diagnostic(page.source, `the link "${href}" should end with "/": write "${pathname}/"`, at, 'warning'));
        continue;
      }
      const hint = /\.md$/.test(pathname)
        ? ` Link to the page's web address instead, for example "${pathname.replace(/(?:\/index)?\.md$/, '/')}".`
        : '';
      report(diagnostic(page.source, `the link "${href}" points to ${pathname}, which is not a page on this site.${hint}`, at));
    }
    if (unreported.error + unreported.warning > 0) {
      // The last one found makes way for a line counting the rest, from its place on.
      const last = found.pop()!;
      unreported[last.severity]++;
      const more = unreported.error + unreported.warning;
      found.push(diagnostic(page.source, `${more} more links on this page have problems, from here on: fix the ones above, then check again`, last, unreported.error > 0 ? 'error' : 'warning'));
    }
    diagnostics.push(...found);
  }
}

/**
 * A link to a draft is an error, like any broken link. A link to a scheduled or
 * expired page is only a warning: it breaks or mends itself as time passes, and
 * a site that was valid yesterday must not fail to reload today.
 */
function unpublishedLink(source: string, href: string, pathname: string, state: PublicationState, at: { line: number; column: number }): Diagnostic {
  if (state === 'draft') {
    return diagnostic(source, `the link "${href}" points to ${pathname}, which is a draft: publish that page (delete its "draft: true" line) or remove the link`, at);
  }
  const when = state === 'scheduled' ? 'is not published yet' : 'has expired';
  return diagnostic(source, `the link "${href}" points to ${pathname}, which ${when}: visitors following it see "page not found" meanwhile`, at, 'warning');
}

/**
 * The site path a link in a page points to, or null for links elsewhere
 * (other schemes, other hosts, fragments on the same page, unparseable).
 */
export function resolveLinkPath(href: string, page: Pick<Page, 'role' | 'url'>): string | null {
  const target = linkTarget(href, page);
  return target.kind === 'path' ? target.pathname : null;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
