/**
 * The cross-page part of a build (publication states, documents, images, redirects, the navigation, and the checks
 * of links, documents and titles across pages) kept for the next build, so that an edit to the body of one page
 * costs work in proportion to that page, not to the site.
 *
 * The next build reuses it when nothing the cross-page work reads has changed: the same settings, the same files
 * (a page's Markdown aside), the same pages at the same addresses, and for every page that changed, the same front
 * matter at the same places, no pictures and no document. What a body can still change across pages is its links:
 * those of the changed pages are checked again, against the site as it is. Anything else builds it all again, so an
 * unusual edit costs time, never correctness.
 */
import type { Diagnostic } from './diagnostics.js';
import type { CheckedImages } from './images.js';
import type { LinkHolder } from './links.js';
import type { Library, NavNode, Page } from './model.js';
import type { PublicationState } from './publication.js';
import type { ContentEntry } from './readContentFolder.js';
import type { CheckedRedirects } from './redirects.js';
import { sameData } from './sameData.js';

/** What the cross-page work of a build gives. */
export interface CrossPage {
  states: Map<Page, PublicationState>;
  /** Every routable page in any state, by URL: the preview's pages. */
  byUrl: Map<string, Page>;
  /** The published ones: the public site's pages. */
  published: Map<string, Page>;
  notFoundPage: Page | undefined;
  serverErrorPage: Page | undefined;
  library: Library;
  images: CheckedImages;
  redirects: CheckedRedirects;
  previewNavigation: NavNode[];
  /** The public site's navigation, made when first asked for. */
  publicNavigation: Lazy<NavNode[]>;
  nextChangeAt: number | null;
  /** The problems found, in the order they were found: those before the links' check, the links', those after. */
  before: Diagnostic[];
  /** Each page's link problems (pages without any are left out), in the order they were checked. */
  links: Map<LinkHolder, Diagnostic[]>;
  /** The pages whose links were checked, in that order. */
  linkHolders: LinkHolder[];
  after: Diagnostic[];
}

/** What the cross-page work reads, to tell whether a later build may reuse it. */
export interface CrossPageInput {
  settingsKey: string;
  root: string;
  entries: readonly ContentEntry[];
  /** Every page that parsed, sorted by URL. */
  pages: readonly Page[];
  invalid: readonly LinkHolder[];
  invalidUrls: ReadonlySet<string>;
  now: number;
}

/** Changed pages by their earlier Page object. */
export type ChangedPages = Map<Page, Page>;

export class CrossPageMemo {
  private last: { input: CrossPageInput; result: CrossPage } | null = null;
  /** Builds that reused the earlier result, and those that did the work again (for tests and logs). */
  reused = 0;
  redone = 0;

  /** The earlier result and the pages that changed since, when the result still holds but for their links. */
  reusable(input: CrossPageInput): { earlier: CrossPage; changed: ChangedPages } | null {
    const found = this.find(input);
    if (found) this.reused++;
    else this.redone++;
    return found;
  }

  private find(input: CrossPageInput): { earlier: CrossPage; changed: ChangedPages } | null {
    const last = this.last;
    if (!last) return null;
    const before = last.input;
    const { nextChangeAt } = last.result;
    if (input.settingsKey !== before.settingsKey || input.root !== before.root) return null;
    // Publication states hold from the earlier build's instant to the next publishDate or expiryDate.
    if (input.now < before.now || (nextChangeAt !== null && input.now >= nextChangeAt)) return null;
    if (!sameEntries(before.entries, input.entries)) return null;
    if (input.invalid.length !== before.invalid.length || input.invalid.some((p, i) => p !== before.invalid[i]))
      return null;
    if (input.invalidUrls.size !== before.invalidUrls.size) return null;
    for (const url of input.invalidUrls) if (!before.invalidUrls.has(url)) return null;
    if (input.pages.length !== before.pages.length) return null;
    const changed: ChangedPages = new Map();
    for (let i = 0; i < input.pages.length; i++) {
      const page = input.pages[i]!;
      const earlier = before.pages[i]!;
      if (page === earlier) continue;
      // A page that lost to another at its address (an error) is not worth the care.
      if (!onlyBodyChanged(earlier, page) || last.result.byUrl.get(earlier.url) !== earlier) return null;
      changed.set(earlier, page);
    }
    return { earlier: last.result, changed };
  }

  keep(input: CrossPageInput, result: CrossPage): void {
    this.last = { input, result };
  }
}

/** The same files, but for the Markdown of pages (which the pages themselves are compared by). */
function sameEntries(a: readonly ContentEntry[], b: readonly ContentEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.path !== y.path || x.kind !== y.kind) return false;
    if (x.kind === 'file' && x.path.endsWith('.md')) continue;
    if (x.bytes !== y.bytes && !(x.bytes && y.bytes && x.bytes.equals(y.bytes))) return false;
    // The library keeps a file's time and which file on disk it is (a download's Last-Modified, and the server's
    // test that the file was not replaced): a file written again with the same bytes is still a change.
    if (x.mtimeMs !== y.mtimeMs || !sameData(x.identity, y.identity)) return false;
  }
  return true;
}

/**
 * A page edited in its body only, as far as other pages can tell: the same address, front matter and places in
 * it (problems found across pages point there), no pictures (their problems point into the body) and no document.
 */
function onlyBodyChanged(earlier: Page, page: Page): boolean {
  return (
    page.role === 'page' &&
    earlier.role === 'page' &&
    page.source === earlier.source &&
    page.url === earlier.url &&
    page.documentId === undefined &&
    earlier.documentId === undefined &&
    (page.images?.length ?? 0) === 0 &&
    (earlier.images?.length ?? 0) === 0 &&
    sameData(page.frontMatter, earlier.frontMatter) &&
    sameData(page.positions.toPlain(), earlier.positions.toPlain())
  );
}

/**
 * The navigation with the changed pages' nodes holding their new Page objects: only the nodes on the way to a
 * changed page are new (a node's address starts with its ancestors'); every other node is the earlier one.
 */
export function withChangedPages(navigation: NavNode[], changed: ReadonlyMap<string, Page>): NavNode[] {
  if (changed.size === 0) return navigation;
  // Every address on the way to a changed page ("/", "/a/", "/a/b/" for "/a/b/"), made once: testing each node
  // against every changed page cost nodes × changes when an update (a git pull, say) changed many bodies.
  const onTheWay = new Set<string>();
  for (const url of changed.keys())
    for (let slash = url.indexOf('/'); slash !== -1; slash = url.indexOf('/', slash + 1))
      onTheWay.add(url.slice(0, slash + 1));
  const leadsTo = (node: NavNode) =>
    node.url.endsWith('/') ? onTheWay.has(node.url) : [...changed.keys()].some((url) => url.startsWith(node.url));
  const map = (nodes: NavNode[]): NavNode[] =>
    nodes.map((node) =>
      leadsTo(node) ? { ...node, page: changed.get(node.url) ?? node.page, children: map(node.children) } : node,
    );
  return map(navigation);
}

/** A value made when first asked for, that can tell whether it was. */
export class Lazy<T> {
  private value: { made: T } | null = null;

  constructor(private readonly make: () => T) {}

  get(): T {
    this.value ??= { made: this.make() };
    return this.value.made;
  }

  /** The value if it was made. */
  get made(): T | undefined {
    return this.value?.made;
  }
}
