/**
 * Moved pages keep working: every old address answers with a permanent
 * redirect (301) straight to where the page is now. Redirects are content,
 * written in two places:
 *
 * - a page's `formerAddresses` (what `npm run move` and the editor write when
 *   a page moves): they travel with the page, so moving it again adds one
 *   more and every old address still leads straight to it, never through a
 *   chain; deleting the page takes them away with it;
 * - `redirects` in site.yml, for anything else (an address of an old website,
 *   a page deleted in favour of another).
 *
 * Checked here, once for the whole site: no address taken twice, no loop, no
 * chain, no redirect to a page that does not exist, and none that would hide
 * a page or a file (a redirect never wins over something that exists).
 */
import { diagnostic, publicOnly, type Diagnostic } from './diagnostics.js';
import { ENGINE_LINK_TARGETS } from './engineUrls.js';
import type { Library, Page } from './model.js';
import type { Position } from './positions.js';
import type { PublicationState } from './publication.js';

/** Addresses the engine answers itself, which no redirect may take. */
const ENGINE_SECTIONS = new Set(['edit', 'assets', 'search', 'a-z', '__dev']);
const ENGINE_FILES = new Set([
  '/',
  '/feed.xml',
  '/sitemap.xml',
  '/robots.txt',
  '/favicon.ico',
  '/healthz',
  '/readyz',
  // Files of the static export.
  '/404.html',
  '/_redirects',
]);

/** An old address the static export answers with a page of that very name (see src/deploy/redirectFiles.ts). */
export const HTML_FILE = /\.html?$/i;

/** A redirect as written in the content. */
export interface RedirectSource {
  from: string;
  /** Where it leads; for a page's former address, the page's own address. */
  to: string;
  /** The file it is written in, and where. */
  file: string;
  at: Position;
  /** Set for a page's former address: the page it leads to. */
  page?: Page;
}

export interface RedirectCheck {
  /** Every page that parsed, in any state. */
  pages: readonly Page[];
  states: ReadonlyMap<Page, PublicationState>;
  /** Every routable page, in any state, by address. */
  byUrl: ReadonlyMap<string, Page>;
  /** Every document of any state, with its files. */
  library: Library;
  /** The site settings' `redirects`, with their place in site.yml. */
  settings: readonly RedirectSource[];
}

export interface CheckedRedirects {
  /** What the public site answers: redirects to what visitors can see. */
  published: Map<string, string>;
  /** What the preview answers: every valid redirect. */
  all: Map<string, string>;
}

/** The address a request's path is redirected from, if any: as written, or with the "/" a visitor left off. */
export function findRedirect(redirects: ReadonlyMap<string, string>, path: string): string | undefined {
  return redirects.get(path) ?? (path.endsWith('/') ? undefined : redirects.get(`${path}/`));
}

export function checkRedirects(input: RedirectCheck, diagnostics: Diagnostic[]): CheckedRedirects {
  const sources: RedirectSource[] = [];
  for (const page of input.pages) {
    if (page.role !== 'page') continue;
    (page.frontMatter.formerAddresses ?? []).forEach((from, i) => {
      sources.push({ from, to: page.url, file: page.source, at: page.positions.at(['formerAddresses', i]), page });
    });
  }
  sources.push(...input.settings);

  const downloads = input.library.downloads;
  const exists = (path: string) => input.byUrl.has(path) || downloads.has(path) || ENGINE_LINK_TARGETS.has(path);
  const taken = new Map<string, RedirectSource>();
  // Old addresses the export writes as a file (the page at /old.html that sends visitors on), whatever their order.
  const writtenAsFiles = new Map<string, RedirectSource>();
  for (const source of sources) if (HTML_FILE.test(source.from)) writtenAsFiles.set(source.from, source);
  for (const source of sources) {
    const fail = (message: string) => diagnostics.push(diagnostic(source.file, message, source.at));
    const from = source.from;
    const quoted = `the old address "${from}"`;
    // The same address as static hosts and nginx read it: without its final "/", and a folder's index.html.
    const bare = from.length > 1 && from.endsWith('/') ? from.slice(0, -1) : from;
    const folder = bare.endsWith('/index.html') ? bare.slice(0, -'index.html'.length) : null;
    if (isEngineAddress(from) || isEngineAddress(bare)) {
      fail(`${quoted} belongs to the website itself and cannot lead elsewhere: remove it`);
      continue;
    }
    const hidden =
      input.byUrl.get(from) ?? input.byUrl.get(`${from}/`) ?? (folder ? input.byUrl.get(folder) : undefined);
    if (hidden) {
      fail(
        hidden === source.page
          ? `${quoted} is this page's own address: remove it from the former addresses`
          : `${quoted} is the address of the page ${hidden.source}, which the redirect would hide: ` +
              `remove the redirect, or move that page first`,
      );
      continue;
    }
    if (downloads.has(from) || downloads.has(bare)) {
      fail(`${quoted} is the address of a document file, which the redirect would hide: remove the redirect`);
      continue;
    }
    const file = fileAbove(from, (p) => ENGINE_FILES.has(p) || downloads.has(p) || isPageIndex(p, input.byUrl));
    if (file) {
      // The export would need a folder where it writes this file (and nginx never reaches the address).
      fail(`${quoted} is inside ${file}, a file of the website, not a folder: remove the redirect`);
      continue;
    }
    const outer = fileAbove(from, (p) => writtenAsFiles.has(p));
    if (outer) {
      const other = writtenAsFiles.get(outer)!;
      fail(
        `${quoted} is inside ${outer}, the old address of another redirect (${other.file}, line ${other.at.line}), ` +
          'which the export writes as a file, not a folder: remove one of them',
      );
      continue;
    }
    const earlier = taken.get(from) ?? taken.get(from.endsWith('/') ? from.slice(0, -1) : `${from}/`);
    if (earlier) {
      fail(
        `${quoted} already leads to ${earlier.to} (${earlier.file}, line ${earlier.at.line}): ` +
          `an address can lead to one place only, so remove one of them`,
      );
      continue;
    }
    if (from === source.to) {
      fail(`${quoted} leads to itself: a redirect loop. Remove it`);
      continue;
    }
    taken.set(from, source);
  }

  const all = new Map<string, string>();
  const published = new Map<string, string>();
  for (const source of taken.values()) {
    const fail = (message: string, severity: 'error' | 'warning' = 'error') =>
      diagnostics.push(diagnostic(source.file, message, source.at, severity));
    const quoted = `the redirect from "${source.from}" to "${source.to}"`;
    const target = source.page ?? input.byUrl.get(source.to);
    if (!target && !exists(source.to)) {
      const next = taken.get(source.to);
      if (next) {
        const end = finalTarget(source, taken);
        if (end === null)
          fail(`${quoted} is part of a loop of redirects that never reaches a page: remove one of them`);
        else
          fail(
            `${quoted} leads to another redirect (to "${next.to}"): a chain is slow and search engines may stop ` +
              `following it. Point it straight at "${end}"`,
          );
      } else if (input.byUrl.has(`${source.to}/`)) {
        fail(`${quoted} should end with "/": write "${source.to}/"`);
      } else {
        fail(`${quoted} leads to ${source.to}, which is not a page of this website: correct the address or remove it`);
      }
      continue;
    }
    all.set(source.from, source.to);
    const state = target ? input.states.get(target) : 'published';
    if (state === 'published') published.set(source.from, source.to);
    else if (!source.page) {
      if (state === 'draft')
        diagnostics.push(
          publicOnly(
            diagnostic(
              source.file,
              `${quoted} leads to a draft: publish that page (delete its "draft: true" line) or change the redirect`,
              source.at,
            ),
          ),
        );
      else
        fail(
          `${quoted} leads to a page that ${state === 'scheduled' ? 'is not published yet' : 'has expired'}: ` +
            `visitors following it see "page not found" meanwhile`,
          'warning',
        );
    }
  }
  addDocumentFiles(input, taken, all, published);
  return { published, all };
}

/**
 * A document that moved keeps its files' old addresses too: /documents/old/x.pdf
 * leads to /documents/new/x.pdf, unless something else has that address.
 */
function addDocumentFiles(
  input: RedirectCheck,
  taken: ReadonlyMap<string, RedirectSource>,
  all: Map<string, string>,
  published: Map<string, string>,
): void {
  for (const source of taken.values()) {
    const page = source.page;
    if (page?.documentId === undefined || !all.has(source.from) || !source.from.endsWith('/')) continue;
    const document = input.library.documents.get(page.documentId);
    for (const file of document?.files ?? []) {
      const from = `${source.from}${file.name}`;
      if (taken.has(from) || input.byUrl.has(from) || input.library.downloads.has(from) || all.has(from)) continue;
      all.set(from, `${page.url}${file.name}`);
      if (published.has(source.from)) published.set(from, `${page.url}${file.name}`);
    }
  }
}

/** The first address above this one (ending where a "/" follows it) that is a file; null when none is. */
function fileAbove(address: string, isFile: (path: string) => boolean): string | null {
  for (let slash = address.indexOf('/', 1); slash !== -1; slash = address.indexOf('/', slash + 1)) {
    const above = address.slice(0, slash);
    if (slash < address.length - 1 && isFile(above)) return above;
  }
  return null;
}

/** A page's own file in the export: /about/index.html for the page /about/. */
function isPageIndex(path: string, byUrl: ReadonlyMap<string, Page>): boolean {
  return path.endsWith('/index.html') && byUrl.has(path.slice(0, -'index.html'.length));
}

/** Where following redirects from this one ends; null for a loop. Each step visits a new address, so it ends. */
function finalTarget(start: RedirectSource, taken: ReadonlyMap<string, RedirectSource>): string | null {
  const seen = new Set<string>([start.from]);
  let to = start.to;
  for (let next = taken.get(to); next; next = taken.get(to)) {
    if (seen.has(next.from)) return null;
    seen.add(next.from);
    to = next.to;
  }
  return to;
}

/** Addresses the engine answers itself: the home page, the editor, assets, search, the A to Z list, the feed. */
export function isEngineAddress(path: string): boolean {
  if (ENGINE_FILES.has(path)) return true;
  const first = path.split('/')[1] ?? '';
  return ENGINE_SECTIONS.has(first);
}
