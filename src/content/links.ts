/** Checks that links between pages point at pages that exist. */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Page } from './model.js';
import type { PublicationState } from './publication.js';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const BASE = 'http://site.invalid';

export function checkLinks(
  pages: readonly Page[],
  routable: ReadonlyMap<string, Page>,
  diagnostics: Diagnostic[],
  extraPaths: ReadonlySet<string> = new Set(),
  unpublished: ReadonlyMap<string, PublicationState> = new Map(),
): void {
  for (const page of pages) {
    const ids = new Set(page.headings.map((h) => h.id));
    for (const link of page.links) {
      const href = link.href;
      if (HAS_SCHEME.test(href) || href.startsWith('//')) continue;
      const at = { line: link.line, column: link.column };
      if (href.startsWith('#')) {
        if (href.length > 1 && !ids.has(decodeSafe(href.slice(1)))) {
          diagnostics.push(diagnostic(page.source, `the link "${href}" points to no heading on this page`, at));
        }
        continue;
      }
      let target: URL;
      try {
        target = new URL(href, `${BASE}${page.role === 'page' ? page.url : '/'}`);
      } catch {
        diagnostics.push(diagnostic(page.source, `the link "${href}" is not a valid address`, at));
        continue;
      }
      const pathname = decodeSafe(target.pathname);
      if (routable.has(pathname) || extraPaths.has(pathname)) continue;
      const state = unpublished.get(pathname);
      if (state) {
        diagnostics.push(unpublishedLink(page.source, href, pathname, state, at));
        continue;
      }
      if (routable.has(`${pathname}/`)) {
        diagnostics.push(diagnostic(page.source, `the link "${href}" should end with "/": write "${pathname}/"`, at, 'warning'));
        continue;
      }
      const hint = /\.md$/.test(pathname)
        ? ` Link to the page's web address instead, for example "${pathname.replace(/(?:\/index)?\.md$/, '/')}".`
        : '';
      diagnostics.push(diagnostic(page.source, `the link "${href}" points to ${pathname}, which is not a page on this site.${hint}`, at));
    }
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
  if (HAS_SCHEME.test(href) || href.startsWith('//') || href.startsWith('#')) return null;
  try {
    return decodeSafe(new URL(href, `${BASE}${page.role === 'page' ? page.url : '/'}`).pathname);
  } catch {
    return null;
  }
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
