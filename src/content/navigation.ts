/**
 * The shared navigation: top-level pages and folders (sections), each
 * section's pages beneath it, in the order front matter gives.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { NavNode, Page } from './model.js';

export function parentUrl(url: string): string | null {
  if (url === '/') return null;
  const trimmed = url.slice(0, -1);
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

export function navTitle(page: Page): string {
  return page.frontMatter.navigation?.title ?? page.frontMatter.title;
}

function compare(a: NavNode, b: NavNode): number {
  const oa = a.page.frontMatter.navigation?.order ?? Number.MAX_SAFE_INTEGER;
  const ob = b.page.frontMatter.navigation?.order ?? Number.MAX_SAFE_INTEGER;
  return oa - ob || a.title.localeCompare(b.title);
}

export function buildNavigation(pages: readonly Page[], diagnostics: Diagnostic[]): NavNode[] {
  const nodes = new Map<string, NavNode>();
  for (const page of pages) {
    nodes.set(page.url, { page, title: navTitle(page), url: page.url, children: [] });
  }
  const top: NavNode[] = [];
  for (const node of nodes.values()) {
    const parent = parentUrl(node.url);
    if (parent === null || parent === '/') {
      top.push(node);
      continue;
    }
    const parentNode = nodes.get(parent);
    if (!parentNode) {
      const folder = parent.slice(1);
      diagnostics.push(
        diagnostic(
          node.page.source,
          `the folder "${folder}" has no index.md: add ${folder}index.md to give ` +
            `the section a title and a place in the navigation`,
        ),
      );
      continue;
    }
    parentNode.children.push(node);
  }
  const prune = (list: NavNode[]): NavNode[] =>
    list
      .filter((n) => !n.page.frontMatter.navigation?.hidden)
      .map((n) => ({ ...n, children: prune(n.children) }))
      .sort(compare);
  return prune(top);
}

/** Every node of a navigation tree by its URL, in one pass. */
export function indexNavigation(nodes: readonly NavNode[], index = new Map<string, NavNode>()): Map<string, NavNode> {
  for (const node of nodes) {
    index.set(node.url, node);
    indexNavigation(node.children, index);
  }
  return index;
}

/** Ancestor pages of a page, nearest last, for breadcrumbs. */
export function ancestors(url: string, pages: ReadonlyMap<string, Page>): Page[] {
  const chain: Page[] = [];
  for (let p = parentUrl(url); p !== null; p = parentUrl(p)) {
    const page = pages.get(p);
    if (page) chain.unshift(page);
  }
  return chain;
}
