/**
 * Renders site models incrementally: after an edit, only the pages whose
 * HTML can have changed are rendered again; the others keep their prepared
 * bytes (and so their ETags).
 *
 * What a page's HTML depends on, read from renderPage:
 * - the page itself (a new Page object means its file changed; the page cache
 *   hands back the same object for an unchanged file);
 * - its section: the sidebar expands the section the page is in, and the
 *   breadcrumbs name the pages above it, all inside that section;
 * - the top level of the navigation (header and sidebar on every page);
 * - the site settings, templates, assets and site URL (every page).
 * Each of these is summarised as a key; a page is rendered again when one of
 * its keys differs from the last render. The keys are compared, not guessed,
 * so an unusual edit costs time, never correctness.
 */
import type { NavNode, Page, SiteModel } from '../content/model.js';
import { navTitle } from '../content/navigation.js';
import { buildAssets, type AssetManifest } from './assets.js';
import { renderPage, renderRobots, renderSitemap, type PreviewOptions, type RenderContext } from './renderPage.js';
import { prepare, type PreparedResponse, type RenderedSite, type RenderOptions } from './renderSite.js';
import { createTemplateEnvironment, DEFAULT_PUBLIC_DIR, DEFAULT_VIEWS_DIR } from './templates.js';

const HTML = 'text/html; charset=utf-8';

export interface SiteRendererOptions extends RenderOptions {
  preview?: PreviewOptions;
}

export interface RenderStats {
  /** URLs rendered again this time; "404" and "500" stand for the error pages. */
  rendered: string[];
  reused: number;
  ms: number;
}

interface RenderKeys {
  global: string;
  top: string;
  sections: Map<string, string>;
  pages: Map<string, Page>;
  notFoundPage: Page | undefined;
  serverErrorPage: Page | undefined;
}

/** The top-level section a URL belongs to: "/work-streams/kpis/" → "/work-streams/". */
export function sectionOf(url: string): string {
  const second = url.indexOf('/', 1);
  return second === -1 ? '/' : url.slice(0, second + 1);
}

export class SiteRenderer {
  private readonly options: SiteRendererOptions;
  private ctx: Omit<RenderContext, 'site'>;
  private generation = 0;
  private last: { site: RenderedSite; keys: RenderKeys } | null = null;

  constructor(options: SiteRendererOptions) {
    this.options = options;
    this.ctx = {
      env: createTemplateEnvironment(options.viewsDir ?? DEFAULT_VIEWS_DIR),
      assets: buildAssets(options.publicDir ?? DEFAULT_PUBLIC_DIR),
      siteUrl: options.siteUrl.replace(/\/+$/, ''),
      ...(options.preview ? { preview: options.preview } : {}),
    };
  }

  /** Templates changed on disk: every page is rendered again next time. */
  reloadTemplates(): void {
    this.ctx = { ...this.ctx, env: createTemplateEnvironment(this.options.viewsDir ?? DEFAULT_VIEWS_DIR) };
    this.generation++;
  }

  /** Stylesheets, scripts or images changed: new fingerprints, so every page again. */
  reloadAssets(): void {
    this.ctx = { ...this.ctx, assets: buildAssets(this.options.publicDir ?? DEFAULT_PUBLIC_DIR) };
    this.generation++;
  }

  get assets(): AssetManifest {
    return this.ctx.assets;
  }

  /**
   * Renders a model, reusing what the last render made where nothing it
   * depends on changed. Throws (keeping the last render) if a template fails.
   */
  render(model: SiteModel): { site: RenderedSite; stats: RenderStats } {
    const started = performance.now();
    const ctx: RenderContext = { ...this.ctx, site: model };
    const keys = renderKeys(model, `${this.generation}|${this.ctx.siteUrl}|${JSON.stringify(model.settings)}`);
    const previous = this.last && this.last.keys.global === keys.global ? this.last : null;
    const topSame = previous !== null && previous.keys.top === keys.top;
    const rendered: string[] = [];
    let reused = 0;

    const pages = new Map<string, PreparedResponse>();
    for (const page of model.pages.values()) {
      const section = sectionOf(page.url);
      const old = previous?.site.pages.get(page.url);
      const same =
        old !== undefined &&
        topSame &&
        previous!.keys.pages.get(page.url) === page &&
        previous!.keys.sections.get(section) === keys.sections.get(section);
      if (same) {
        pages.set(page.url, old);
        reused++;
      } else {
        pages.set(page.url, prepare(renderPage(ctx, page), HTML));
        rendered.push(page.url);
      }
    }

    const notFoundPage = model.notFoundPage!;
    const serverErrorPage = model.serverErrorPage ?? notFoundPage;
    const errorPage = (label: string, page: Page, old: PreparedResponse | undefined, oldPage: Page | undefined): PreparedResponse => {
      if (old && topSame && oldPage === page) {
        reused++;
        return old;
      }
      rendered.push(label);
      return prepare(renderPage(ctx, page), HTML);
    };
    const site: RenderedSite = {
      model,
      pages,
      notFound: errorPage('404', notFoundPage, previous?.site.notFound, previous?.keys.notFoundPage),
      serverError: errorPage('500', serverErrorPage, previous?.site.serverError, previous?.keys.serverErrorPage ?? previous?.keys.notFoundPage),
      // Cheap, and it lists every page: always made afresh.
      sitemap: prepare(renderSitemap(model, this.ctx.siteUrl), 'application/xml; charset=utf-8'),
      robots: previous?.site.robots ?? prepare(renderRobots(this.ctx.siteUrl), 'text/plain; charset=utf-8'),
      assets: this.ctx.assets,
    };
    this.last = { site, keys };
    return { site, stats: { rendered, reused, ms: performance.now() - started } };
  }
}

function renderKeys(model: SiteModel, global: string): RenderKeys {
  const top = JSON.stringify(model.navigation.map((n) => [n.url, n.title]));
  // Per section: its navigation subtree, and every page's address and navigation
  // title (breadcrumbs name hidden pages too).
  const parts = new Map<string, unknown[]>();
  const pages = new Map<string, Page>();
  for (const page of model.pages.values()) {
    pages.set(page.url, page);
    const section = sectionOf(page.url);
    let list = parts.get(section);
    if (!list) parts.set(section, (list = []));
    list.push(page.url, navTitle(page));
  }
  for (const node of model.navigation) {
    const section = sectionOf(node.url);
    let list = parts.get(section);
    if (!list) parts.set(section, (list = []));
    list.push(subtree(node));
  }
  const sections = new Map<string, string>();
  for (const [section, list] of parts) sections.set(section, JSON.stringify(list));
  return { global, top, sections, pages, notFoundPage: model.notFoundPage, serverErrorPage: model.serverErrorPage };
}

function subtree(node: NavNode): unknown[] {
  return [node.url, node.title, node.children.map(subtree)];
}
