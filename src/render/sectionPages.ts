/**
 * The list {{sectionPages}} stands for (content/markdownSectionPages.ts): the
 * pages shown in the navigation below this page, in the navigation's order,
 * each with its title and description. It is made from the view being
 * rendered, so the public site lists only published pages, and the preview
 * its drafts too. The partial is given plain values, escaped as it renders.
 */
import type nunjucks from 'nunjucks';
import { SECTION_PAGES_MARKER } from '../content/markdownSectionPages.js';
import type { NavNode, Page, SiteModel } from '../content/model.js';

export function usesSectionPages(page: Page): boolean {
  return page.bodyHtml.includes(SECTION_PAGES_MARKER);
}

/** The pages listed for the page at `url`: its children in the navigation (for the home page, the top level). */
export function sectionPageNodes(site: SiteModel, url: string, index: ReadonlyMap<string, NavNode>): NavNode[] {
  if (url === '/') return site.navigation.filter((n) => n.url !== '/');
  return index.get(url)?.children ?? [];
}

function listItems(nodes: readonly NavNode[]): { title: string; url: string; description: string }[] {
  return nodes.map((n) => ({
    title: n.page.frontMatter.title,
    url: n.url,
    description: n.page.frontMatter.description,
  }));
}

/** The page's body with its list in place of each marker. */
export function withSectionPages(
  page: Page,
  site: SiteModel,
  index: () => ReadonlyMap<string, NavNode>,
  env: nunjucks.Environment,
): string {
  if (!usesSectionPages(page)) return page.bodyHtml;
  const pages = page.role === 'page' ? listItems(sectionPageNodes(site, page.url, index())) : [];
  const list = env.render('partials/section-pages.njk', { pages });
  return page.bodyHtml.split(SECTION_PAGES_MARKER).join(list);
}

/** Everything the list of a page with one shows, for the renderer to tell whether it changed. */
export function sectionListKey(page: Page, site: SiteModel, index: () => ReadonlyMap<string, NavNode>): string {
  return JSON.stringify(listItems(sectionPageNodes(site, page.url, index())));
}
