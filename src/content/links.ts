/**
 * Links between pages: where each one points (worked out once, when its page
 * is parsed) and whether it points at a page that exists and is shown.
 */
import { diagnostic, publicOnly, type Diagnostic } from './diagnostics.js';
import { ENGINE_LINK_TARGETS } from './engineUrls.js';
import type { LinkRef } from './markdown.js';
import type { LinkTarget, Page, PageLink } from './model.js';
import type { Position } from './positions.js';
import type { PublicationState } from './publication.js';

const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const BASE = 'http://site.invalid';

/** Where a link written on a page points; relative links resolve against the page's address. */
export function linkTarget(href: string, page: Pick<Page, 'role' | 'url'>): LinkTarget {
  if (HAS_SCHEME.test(href) || href.startsWith('//')) return { kind: 'external' };
  if (href.startsWith('#')) return { kind: 'fragment', id: href.length > 1 ? decodeSafe(href.slice(1)) : '' };
  try {
    return {
      kind: 'path',
      pathname: decodeSafe(new URL(href, `${BASE}${page.role === 'page' ? page.url : '/'}`).pathname),
    };
  } catch {
    return { kind: 'invalid' };
  }
}

/**
 * Link problems reported per page at most, the last line counting the rest: a page of broken links costs one screen.
 */
export const MAX_LINK_PROBLEMS_PER_PAGE = 20;

export function resolveLinks(links: readonly LinkRef[], page: Pick<Page, 'role' | 'url'>): PageLink[] {
  return links.map((link) => ({ ...link, target: linkTarget(link.href, page) }));
}

/** What checking a page's links needs of it. */
export type LinkHolder = Pick<Page, 'source' | 'role' | 'headings' | 'links'>;

/** A page whose front matter has errors: its links are still checked, so that every problem shows at once. */
export interface InvalidPage extends LinkHolder {
  /** Its front matter says `draft: true`, as far as it can be read. */
  draft: boolean;
}

export interface LinkCheck {
  /** Every page that parsed, in any publication state, and those that did not: all their links are checked. */
  pages: readonly LinkHolder[];
  states: ReadonlyMap<LinkHolder, PublicationState>;
  /** Every routable page, in any state, by URL. */
  byUrl: ReadonlyMap<string, Page>;
  /** Addresses of pages that failed to parse: links to them are not reported too. */
  invalidPageUrls: ReadonlySet<string>;
  /** Old addresses of moved pages: a link to one still works, and is advice to update. */
  redirects?: ReadonlyMap<string, string>;
}

/**
 * Checks every link of every page. A page visitors see now or will see by
 * itself (published or scheduled) must not link to a draft; a draft's
 * links are checked too, so that publishing it breaks nothing.
 */
export function checkLinks(
  input: LinkCheck,
  diagnostics: Diagnostic[],
  /** Also gets each page's problems, for pages with any (to reuse them for pages that did not change). */
  byPage?: Map<LinkHolder, Diagnostic[]>,
): void {
  const files = new PageFiles(input.byUrl.values());
  for (const page of input.pages) {
    const holderState = page.role === 'page' ? (input.states.get(page) ?? 'published') : 'published';
    // Built only for a page with links to its own headings: a page at the size limit may have tens of thousands.
    let ids: Set<string> | undefined;
    const inDraft = holderState === 'draft' ? ' This page is a draft: correct the link before you publish it.' : '';
    const found: Diagnostic[] = [];
    const unreported: Diagnostic[] = [];
    const report = (d: Diagnostic) => {
      if (found.length < MAX_LINK_PROBLEMS_PER_PAGE) found.push(d);
      else unreported.push(d);
    };
    for (const link of page.links) {
      const target = link.target;
      if (target.kind === 'external') continue;
      const at = { line: link.line, column: link.column };
      if (target.kind === 'fragment') {
        ids ??= new Set(page.headings.map((h) => h.id));
        if (target.id !== '' && !ids.has(target.id)) {
          report(diagnostic(page.source, `the link "${link.href}" points to no heading on this page.${inDraft}`, at));
        }
        continue;
      }
      if (target.kind === 'invalid') {
        report(diagnostic(page.source, `the link "${link.href}" is not a valid address.${inDraft}`, at));
        continue;
      }
      const checked = checkPath(
        link.href,
        target.pathname,
        input.byUrl,
        input.invalidPageUrls,
        () => files.addressOf(link.href, page.source),
        input.redirects,
      );
      if (checked.kind === 'problem') {
        report(
          diagnostic(
            page.source,
            checked.severity === 'error' && inDraft ? `${sentence(checked.message)}${inDraft}` : checked.message,
            at,
            checked.severity,
          ),
        );
        continue;
      }
      if (checked.kind === 'page') {
        const targetState = input.states.get(checked.page) ?? 'published';
        const holderShown = holderState === 'published' || holderState === 'scheduled';
        if (holderShown && targetState !== 'published')
          report(unpublishedLink(page.source, link.href, target.pathname, targetState, at));
      }
    }
    if (unreported.length > 0) {
      // The last one found makes way for a line counting the rest, from its place on.
      const last = found.pop()!;
      found.push(moreLinkProblems(page.source, [last, ...unreported], last));
    }
    diagnostics.push(...found);
    if (found.length > 0) byPage?.set(page, found);
  }
}

/**
 * One line standing for several link problems, as grave as the gravest of
 * them: an error if any is, and about the public site only (see
 * Diagnostic.scope) if every error among them is.
 */
function moreLinkProblems(source: string, problems: readonly Diagnostic[], at: Position): Diagnostic {
  const errors = problems.filter((d) => d.severity === 'error');
  const message =
    `${problems.length} more links on this page have problems, from here on: ` + `fix the ones above, then check again`;
  const line = diagnostic(source, message, at, errors.length > 0 ? 'error' : 'warning');
  return errors.length > 0 && errors.every((d) => d.scope === 'public') ? publicOnly(line) : line;
}

export interface SettingsLink {
  href: string;
  at: Position;
}

/** Links in the site settings (the footer's, for example): paths must be pages that are published. */
export function checkSettingsLinks(
  file: string,
  links: readonly SettingsLink[],
  published: ReadonlyMap<string, Page>,
  byUrl: ReadonlyMap<string, Page>,
  diagnostics: Diagnostic[],
  /** Addresses of pages that failed to parse: their own errors say what to fix, so links to them are not reported. */
  invalidPageUrls: ReadonlySet<string> = new Set(),
  redirects?: ReadonlyMap<string, string>,
): void {
  const files = new PageFiles(byUrl.values());
  for (const link of links) {
    const target = linkTarget(link.href, { role: 'page', url: '/' });
    if (target.kind !== 'path') continue;
    const found = checkPath(
      link.href,
      target.pathname,
      byUrl,
      invalidPageUrls,
      () => files.addressOf(link.href, file),
      redirects,
    );
    if (found.kind === 'problem') diagnostics.push(diagnostic(file, found.message, link.at, found.severity));
    else if (found.kind === 'page' && !published.has(found.page.url)) {
      const message =
        `the link "${link.href}" points to ${target.pathname}, which is not ` +
        `published: publish that page or change the link`;
      diagnostics.push(publicOnly(diagnostic(file, message, link.at)));
    }
  }
}

type PathCheck =
  | { kind: 'page'; page: Page }
  | { kind: 'other' }
  | { kind: 'problem'; message: string; severity: 'error' | 'warning' };

function checkPath(
  href: string,
  pathname: string,
  byUrl: ReadonlyMap<string, Page>,
  invalidPageUrls: ReadonlySet<string>,
  pageFileAddress: () => string | null,
  redirects?: ReadonlyMap<string, string>,
): PathCheck {
  const page = byUrl.get(pathname);
  if (page) return { kind: 'page', page };
  if (invalidPageUrls.has(pathname)) return { kind: 'other' };
  const movedTo = redirects?.get(pathname);
  if (movedTo !== undefined)
    return {
      kind: 'problem',
      message: `the link "${href}" points to an old address that now leads to ${movedTo}: link straight there`,
      severity: 'warning',
    };
  // The search, the A to Z list and the feed exist beside the content's pages.
  if (ENGINE_LINK_TARGETS.has(pathname)) return { kind: 'other' };
  if (byUrl.has(`${pathname}/`)) {
    return {
      kind: 'problem',
      message: `the link "${href}" should end with "/": write "${pathname}/"`,
      severity: 'warning',
    };
  }
  if (/\.md$/i.test(pathname)) {
    // A link written as the page's file name, as in a file browser: the page's web address is what works.
    const address = pageFileAddress();
    const name = pathname.slice(pathname.lastIndexOf('/') + 1);
    return {
      kind: 'problem',
      message: address
        ? `the link "${href}" names the page's file: link to its web address instead, "${address}"`
        : `the link "${href}" names a file, and no page's file is called ${name}: link to the web address ` +
          `of the page you mean, such as "/about/" for the file about.md`,
      severity: 'error',
    };
  }
  return {
    kind: 'problem',
    message: `the link "${href}" points to ${pathname}, which is not a page on this site.`,
    severity: 'error',
  };
}

/**
 * Pages by their file, for a link written as a file name ("survey.md"): by
 * its path from the linking file's folder, else by the file's name alone
 * when one page has it.
 */
class PageFiles {
  private bySource: Map<string, Page> | null = null;
  private byName: Map<string, Page | null> | null = null;

  constructor(private readonly pages: Iterable<Page>) {}

  addressOf(href: string, fromSource: string): string | null {
    if (!this.bySource || !this.byName) {
      this.bySource = new Map();
      this.byName = new Map();
      for (const page of this.pages) {
        this.bySource.set(page.source, page);
        const name = baseName(page.source);
        // Index pages are named by their folder; a name two pages share names neither.
        this.byName.set(name, this.byName.has(name) ? null : page);
      }
    }
    const written = decodeSafe(href.replace(/[?#].*$/, ''));
    const folder = fromSource.includes('/') ? fromSource.slice(0, fromSource.lastIndexOf('/')) : '';
    const path = normalisePath((written.startsWith('/') ? written.slice(1) : `${folder}/${written}`).toLowerCase());
    const page = (path !== null ? this.bySource.get(path) : undefined) ?? this.byName.get(baseName(written));
    return page ? page.url : null;
  }
}

/** The name a page's file goes by: "survey.md", or for a section's own page "work-streams/index.md". */
function baseName(source: string): string {
  const parts = source.toLowerCase().split('/');
  const last = parts[parts.length - 1]!;
  return last === 'index.md' && parts.length > 1 ? `${parts[parts.length - 2]}/index.md` : last;
}

/** Resolves "." and ".." in a relative path; null when it climbs above the top. */
function normalisePath(path: string): string | null {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/**
 * A link to a draft is an error, like any broken link. A link to a scheduled or
 * expired page is only a warning: it breaks or mends itself as time passes, and
 * a site that was valid yesterday must not fail to reload today.
 */
function unpublishedLink(
  source: string,
  href: string,
  pathname: string,
  state: PublicationState,
  at: Position,
): Diagnostic {
  if (state === 'draft') {
    return publicOnly(
      diagnostic(
        source,
        `the link "${href}" points to ${pathname}, which is a draft: publish ` +
          `that page (delete its "draft: true" line) or remove the link`,
        at,
      ),
    );
  }
  const when = state === 'scheduled' ? 'is not published yet' : 'has expired';
  return diagnostic(
    source,
    `the link "${href}" points to ${pathname}, which ${when}: visitors following it see "page not found" meanwhile`,
    at,
    'warning',
  );
}

/** A message that ends with a full stop, so that another sentence can follow it. */
function sentence(message: string): string {
  return message.endsWith('.') ? message : `${message}.`;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
