/**
 * Renders a whole site model once, into prepared responses held in memory.
 * The same bytes serve live requests and the static export.
 */
import { createHash } from 'node:crypto';
import type { SiteModel } from '../content/model.js';
import { buildAssets, type AssetManifest } from './assets.js';
import { renderPage, renderRobots, renderSitemap, type RenderContext } from './renderPage.js';
import { createTemplateEnvironment, DEFAULT_PUBLIC_DIR, DEFAULT_VIEWS_DIR } from './templates.js';

export interface PreparedResponse {
  body: Buffer;
  contentType: string;
  /** Strong validator derived from the bytes. */
  etag: string;
}

export interface RenderedSite {
  model: SiteModel;
  pages: ReadonlyMap<string, PreparedResponse>;
  notFound: PreparedResponse;
  serverError: PreparedResponse;
  sitemap: PreparedResponse;
  robots: PreparedResponse;
  assets: AssetManifest;
}

export interface RenderOptions {
  siteUrl: string;
  viewsDir?: string;
  publicDir?: string;
}

export function prepare(body: string | Buffer, contentType: string): PreparedResponse {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return { body: bytes, contentType, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` };
}

const HTML = 'text/html; charset=utf-8';

export function renderSite(model: SiteModel, options: RenderOptions): RenderedSite {
  const assets = buildAssets(options.publicDir ?? DEFAULT_PUBLIC_DIR);
  const ctx: RenderContext = {
    site: model,
    env: createTemplateEnvironment(options.viewsDir ?? DEFAULT_VIEWS_DIR),
    assets,
    siteUrl: options.siteUrl.replace(/\/+$/, ''),
  };
  const pages = new Map<string, PreparedResponse>();
  for (const page of model.pages.values()) pages.set(page.url, prepare(renderPage(ctx, page), HTML));

  // The content check guarantees a 404 page; the 500 page falls back to it
  // only in wording, never to internals.
  const notFoundPage = model.notFoundPage!;
  const serverErrorPage = model.serverErrorPage ?? notFoundPage;
  return {
    model,
    pages,
    notFound: prepare(renderPage(ctx, notFoundPage), HTML),
    serverError: prepare(renderPage(ctx, serverErrorPage), HTML),
    sitemap: prepare(renderSitemap(model, ctx.siteUrl), 'application/xml; charset=utf-8'),
    robots: prepare(renderRobots(ctx.siteUrl), 'text/plain; charset=utf-8'),
    assets,
  };
}
