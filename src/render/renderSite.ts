/**
 * Renders a site model into prepared responses held in memory. Pages are
 * rendered on first request and kept for the life of this content version,
 * so a large site starts at once; the static export renders them all.
 */
import type { SiteModel } from '../content/model.js';
import { buildAssets, type AssetManifest } from './assets.js';
import { PreparedResponse } from './prepared.js';
import { createRenderContext, renderPage, renderRobots, renderSitemap, type RenderContext } from './renderPage.js';
import { createTemplateEnvironment, DEFAULT_PUBLIC_DIR, DEFAULT_VIEWS_DIR } from './templates.js';
import { EnginePages } from './enginePages.js';


export const HTML = 'text/html; charset=utf-8';

/** Page responses by canonical URL, each rendered once, when first asked for. */
export class PageResponses {
  private readonly rendered: Map<string, PreparedResponse>;

  /** `reuse`: responses of an earlier content version that this one would render the same (see SiteRenderer). */
  constructor(
    private readonly ctx: RenderContext,
    private readonly model: SiteModel,
    reuse?: ReadonlyMap<string, PreparedResponse>,
  ) {
    this.rendered = new Map(reuse);
  }

  /** The responses rendered so far, for the next content version to reuse. */
  renderedSoFar(): ReadonlyMap<string, PreparedResponse> {
    return this.rendered;
  }

  get size(): number {
    return this.model.pages.size;
  }

  has(url: string): boolean {
    return this.model.pages.has(url);
  }

  keys(): IterableIterator<string> {
    return this.model.pages.keys();
  }

  /** Every page's response, rendering (and keeping) those not yet rendered. */
  *entries(): IterableIterator<[string, PreparedResponse]> {
    for (const url of this.keys()) yield [url, this.get(url)!];
  }

  *values(): IterableIterator<PreparedResponse> {
    for (const [, response] of this.entries()) yield response;
  }

  [Symbol.iterator](): IterableIterator<[string, PreparedResponse]> {
    return this.entries();
  }

  get(url: string): PreparedResponse | undefined {
    let response = this.rendered.get(url);
    if (response) return response;
    response = this.render(url);
    if (response) this.rendered.set(url, response);
    return response;
  }

  /** The page's HTML without preparing or keeping a response: for the export, which writes each page once. */
  html(url: string): Buffer | undefined {
    const page = this.model.pages.get(url);
    return page ? Buffer.from(renderPage(this.ctx, page), 'utf8') : undefined;
  }

  private render(url: string): PreparedResponse | undefined {
    const html = this.html(url);
    return html ? new PreparedResponse(html, HTML) : undefined;
  }
}

export interface RenderedSite {
  model: SiteModel;
  pages: PageResponses;
  notFound: PreparedResponse;
  serverError: PreparedResponse;
  sitemap: PreparedResponse;
  robots: PreparedResponse;
  assets: AssetManifest;
  /** The A to Z list, the feed, and the layout for other pages of the engine's own (search). */
  enginePages: EnginePages;
}

export interface RenderOptions {
  siteUrl: string;
  viewsDir?: string;
  publicDir?: string;
}

export function renderSite(model: SiteModel, options: RenderOptions): RenderedSite {
  const assets = buildAssets(options.publicDir ?? DEFAULT_PUBLIC_DIR);
  const ctx = createRenderContext(model, createTemplateEnvironment(options.viewsDir ?? DEFAULT_VIEWS_DIR), assets, options.siteUrl);
  // The content check guarantees a 404 page. Rendering it now also proves the
  // layout renders before the server takes any request.
  const notFoundPage = model.notFoundPage!;
  const serverErrorPage = model.serverErrorPage ?? notFoundPage;
  return {
    model,
    pages: new PageResponses(ctx, model),
    notFound: new PreparedResponse(renderPage(ctx, notFoundPage), HTML),
    serverError: new PreparedResponse(renderPage(ctx, serverErrorPage), HTML),
    sitemap: new PreparedResponse(renderSitemap(model, ctx.siteUrl), 'application/xml; charset=utf-8'),
    robots: new PreparedResponse(renderRobots(ctx.siteUrl), 'text/plain; charset=utf-8'),
    assets,
    enginePages: new EnginePages(ctx),
  };
}
