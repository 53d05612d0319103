/** Renders pages of the site model into complete HTML documents. */
import type nunjucks from 'nunjucks';
import { browserTitle } from '../content/browserTitle.js';
import { formatLongDate } from '../content/dates.js';
import type { NavNode, Page, SiteModel } from '../content/model.js';
import { ancestors, indexNavigation, navTitle, parentUrl } from '../content/navigation.js';
import { describeScheduleValue } from '../content/publication.js';
import type { AssetManifest } from './assets.js';
import { LIBRARY_URL } from '../content/documents.js';
import { FEED_URL, SEARCH_URL } from '../content/engineUrls.js';
import { resolveImages } from '../content/images.js';
import { documentContext } from './documentViews.js';
import { JS_ENABLED_SCRIPT } from './inlineScripts.js';
import { withSectionPages } from './sectionPages.js';

export interface RenderContext {
  site: SiteModel;
  env: nunjucks.Environment;
  assets: AssetManifest;
  /** Absolute origin for canonical links, without a trailing slash, e.g. https://example.org */
  siteUrl: string;
  /** Side navigation HTML by expanded path; pages of one section share it. */
  navCache: Map<string, string>;
  /** Navigation nodes by URL, indexed on first use. */
  navNodes?: Map<string, NavNode>;
  /** Set only by the editor's preview (npm run dev): never in production. */
  preview?: PreviewOptions;
}

export interface PreviewOptions {
  /** Same-origin script that reloads the page when content changes. */
  reloadScriptUrl?: string;
  /**
   * How to publish a draft, where the preview is shown (the browser editor has a "Draft" box, not a line to delete).
   */
  publishDraftAdvice?: string;
  /** Leave the page's scripts out: it is shown in a frame that runs none (the browser editor's sandboxed preview). */
  withoutScripts?: boolean;
}

export function createRenderContext(
  site: SiteModel,
  env: nunjucks.Environment,
  assets: AssetManifest,
  siteUrl: string,
  preview?: PreviewOptions,
): RenderContext {
  return {
    site,
    env,
    assets,
    siteUrl: siteUrl.replace(/\/+$/, ''),
    navCache: new Map(),
    ...(preview ? { preview } : {}),
  };
}

interface NavItemView {
  text: string;
  href: string;
  current: boolean;
  children: NavItemView[];
}

/** Minimum number of h2 headings before a page gets a contents list. */
export const CONTENTS_LIST_THRESHOLD = 3;

function isWithin(url: string, section: string): boolean {
  return section !== '/' && url.startsWith(section);
}

/** The sections on the path to a page that have pages below them: these are shown expanded. */
function expandedPath(ctx: RenderContext, currentUrl: string): string[] {
  ctx.navNodes ??= indexNavigation(ctx.site.navigation);
  const path: string[] = [];
  for (let url: string | null = currentUrl; url !== null && url !== ''; url = parentUrl(url)) {
    if ((ctx.navNodes.get(url)?.children.length ?? 0) > 0) path.unshift(url);
  }
  return path;
}

/**
 * The navigation tree with the given sections expanded. `current` is marked
 * afterwards so that every page of a section can share one rendering.
 */
function navigationItems(nodes: readonly NavNode[], expanded: ReadonlySet<string>): NavItemView[] {
  return nodes.map((node) => ({
    text: node.title,
    href: node.url,
    current: false,
    children: expanded.has(node.url) ? navigationItems(node.children, expanded) : [],
  }));
}

function escapeAttribute(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The side navigation for a page: rendered once per expanded path, then the page's own link marked. */
function sideNavigation(ctx: RenderContext, currentUrl: string): string {
  if (ctx.site.navigation.length === 0) return '';
  const expanded = expandedPath(ctx, currentUrl);
  const key = expanded.join('|');
  let html = ctx.navCache.get(key);
  if (html === undefined) {
    const items = navigationItems(ctx.site.navigation, new Set(expanded));
    html = ctx.env.render('partials/side-nav.njk', { navigation: items, labels: ctx.site.settings.labels });
    ctx.navCache.set(key, html);
  }
  if (!currentUrl) return html;
  const link = `class="app-side-nav__link" href="${escapeAttribute(currentUrl)}"`;
  return html.replace(link, `${link} aria-current="page"`);
}

export function pageTitle(page: Page, site: SiteModel): string {
  return browserTitle(page.frontMatter.title, site.settings.name);
}

/** A page of the engine's own (search, A to Z) rendered in the site's layout: its template and data. */
export interface PageView {
  template: string;
  context: Record<string, unknown>;
}

export function renderPage(ctx: RenderContext, page: Page, view?: PageView): string {
  const { site } = ctx;
  const isRoutable = page.role === 'page';
  const currentUrl = isRoutable ? page.url : '';
  const h2s = page.headings.filter((h) => h.level === 2);
  const fm = page.frontMatter;
  const breadcrumbs =
    isRoutable && page.url !== '/'
      ? [
          { text: site.settings.labels.home, href: '/' },
          ...ancestors(page.url, site.pages)
            .filter((p) => p.url !== '/')
            .map((p) => ({ text: navTitle(p), href: p.url })),
        ]
      : [];
  const headerItems = site.navigation
    .filter((n) => n.url !== '/')
    .map((n) => ({ text: n.title, href: n.url, current: n.url === currentUrl, active: isWithin(currentUrl, n.url) }));
  const reviewDates =
    fm.lastReviewed || fm.nextReviewDue
      ? {
          lastReviewed: fm.lastReviewed ? formatLongDate(fm.lastReviewed) : undefined,
          nextReviewDue: fm.nextReviewDue ? formatLongDate(fm.nextReviewDue) : undefined,
        }
      : undefined;
  const documents = view ?? documentContext(site, page, LIBRARY_URL);
  return ctx.env.render(documents.template, {
    site: site.settings,
    labels: site.settings.labels,
    title: fm.title,
    description: fm.description,
    pageTitle: pageTitle(page, site),
    canonicalUrl: isRoutable ? `${ctx.siteUrl}${page.url}` : undefined,
    ogType: page.url === '/' ? 'website' : 'article',
    feed: { url: FEED_URL, title: browserTitle(site.settings.labels.feed.title, site.settings.name) },
    searchUrl: SEARCH_URL,
    breadcrumbs,
    headerItems,
    sideNavHtml: sideNavigation(ctx, currentUrl),
    contents: h2s.length >= CONTENTS_LIST_THRESHOLD ? h2s.map((h) => ({ text: h.text, href: `#${h.id}` })) : [],
    bodyHtml: resolveImages(
      withSectionPages(page, ctx.site, () => (ctx.navNodes ??= indexNavigation(ctx.site.navigation)), ctx.env),
      page,
      site.images,
    ),
    reviewDates,
    jsEnabledScript: JS_ENABLED_SCRIPT,
    previewNotices: ctx.preview ? previewNotices(fm, ctx.preview.publishDraftAdvice) : [],
    reloadScriptUrl: ctx.preview?.reloadScriptUrl,
    withoutScripts: ctx.preview?.withoutScripts === true,
    asset: (name: string) => ctx.assets.url(name),
    ...documents.context,
  });
}

/** What the preview tells an editor about a page visitors cannot see, or will stop seeing. */
export function previewNotices(
  fm: Page['frontMatter'],
  publishDraftAdvice = 'To publish it, delete the line "draft: true" at the top of the file.',
): string[] {
  const notices: string[] = [];
  if (fm.draft) notices.push(`This page is a draft: visitors cannot see it. ${publishDraftAdvice}`);
  if (fm.publishDate)
    notices.push(`Visitors see this page from ${describeScheduleValue(fm.publishDate)} (publishDate).`);
  if (fm.expiryDate)
    notices.push(`Visitors stop seeing this page from ${describeScheduleValue(fm.expiryDate)} (expiryDate).`);
  return notices;
}

export function renderSitemap(site: SiteModel, siteUrl: string): string {
  return sitemapOf([...site.pages.values()].map((p) => sitemapEntry(p, siteUrl)));
}

/** One page's line of the sitemap (the renderer keeps it per page between versions). */
export function sitemapEntry(p: Page, siteUrl: string): string {
  const lastmod = p.frontMatter.updated ?? p.frontMatter.lastReviewed ?? p.frontMatter.published;
  const modified = lastmod ? `<lastmod>${lastmod}</lastmod>` : '';
  return `  <url><loc>${escapeXml(siteUrl + p.url)}</loc>${modified}</url>`;
}

/** The sitemap of these entries (sitemapEntry), in their order. */
export function sitemapOf(entries: readonly string[]): string {
  const namespace = 'http://www.sitemaps.org/schemas/sitemap/0.9';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${namespace}">\n${entries.join('\n')}\n</urlset>\n`;
}

export function renderRobots(siteUrl: string): string {
  return `User-agent: *\nAllow: /\n\nSitemap: ${siteUrl}/sitemap.xml\n`;
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
