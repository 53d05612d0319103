/**
 * A site view rendered for serving: prepared responses held in memory.
 * Pages are rendered on first request and kept for the life of this content
 * version, so a large site starts at once; the static export renders them all.
 */
import type { SiteModel } from '../content/model.js';
import type { AssetManifest } from './assets.js';
import { PreparedResponse } from './prepared.js';
import { renderPage, type RenderContext } from './renderPage.js';
import type { EnginePages } from './enginePages.js';

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
  /** Content images by their fingerprinted address (see content/images.ts). */
  images: ReadonlyMap<string, PreparedResponse>;
}
