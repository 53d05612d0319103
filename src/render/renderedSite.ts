/**
 * A site view rendered for serving: prepared responses held in memory.
 * Pages are rendered on first request and kept for the life of this content
 * version, so a large site starts at once; the static export renders them all.
 */
import type { Page, SiteModel } from '../content/model.js';
import type { AssetManifest } from './assets.js';
import { PreparedResponse } from './prepared.js';
import { renderPage, type RenderContext } from './renderPage.js';
import { pageToRender, type PageToRender, type RenderedVariants } from './renderSnapshot.js';
import type { EnginePages } from './enginePages.js';

export const HTML = 'text/html; charset=utf-8';

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function precompressed(made: RenderedVariants): PreparedResponse {
  return PreparedResponse.precompressed(HTML, { etag: made.etag, gzip: asBuffer(made.gzip), br: asBuffer(made.br) });
}

/** Renders pages of this version on other threads (see SiteRenderer): the compressed bytes come back. */
export interface RenderElsewhere {
  render(pages: PageToRender[]): Promise<RenderedVariants[]>;
  /** The other threads are ready at once (not starting, compiling templates). */
  warm(): boolean;
}

/**
 * A page whose body is smaller than this is rendered here when no worker is
 * ready (a server just started): a millisecond or two, against the hundreds
 * a worker takes to start. Larger pages always wait for a worker.
 */
export const RENDER_HERE_BELOW_BYTES = 32 * 1024;

/** Page responses by canonical URL, each rendered once, when first asked for. */
export class PageResponses {
  private readonly rendered: Map<string, PreparedResponse>;
  private readonly rendering = new Map<string, Promise<PreparedResponse>>();

  /** `reuse`: responses of an earlier content version that this one would render the same (see SiteRenderer). */
  constructor(
    private readonly ctx: RenderContext,
    private readonly model: SiteModel,
    reuse?: ReadonlyMap<string, PreparedResponse>,
    private readonly elsewhere?: RenderElsewhere,
  ) {
    this.rendered = new Map(reuse);
  }

  /**
   * The page's response for serving: at once when rendered, else rendered on
   * another thread when this version has workers (so that no request waits
   * while this thread renders a large page), else here. A failure there
   * (a worker that died) is answered by rendering here.
   */
  whenReady(url: string): PreparedResponse | Promise<PreparedResponse> | undefined {
    const done = this.rendered.get(url);
    if (done) return done;
    const page = this.model.pages.get(url);
    if (!page) return undefined;
    const elsewhere = this.elsewhere;
    if (!elsewhere || (page.bodyHtml.length < RENDER_HERE_BELOW_BYTES && !elsewhere.warm())) return this.get(url);
    let pending = this.rendering.get(url);
    if (!pending) {
      pending = elsewhere.render([pageToRender(page)]).then(
        ([made]) => {
          if (!made || made.url !== url) throw new Error(`${url} did not come back rendered`);
          return this.keep(url, precompressed(made));
        },
        () => this.get(url)!,
      );
      this.rendering.set(url, pending);
    }
    return pending;
  }

  /**
   * Renders these pages on the other threads, a batch at a time, and keeps
   * them: a new version is given the pages visitors asked for before it is
   * swapped in, so that no request waits for them. Nothing happens without
   * workers (pages then render when asked for, on this thread).
   */
  async prepare(urls: readonly string[], batch = 8): Promise<void> {
    const elsewhere = this.elsewhere;
    if (!elsewhere) return;
    const pages = urls.map((url) => this.model.pages.get(url)).filter((p): p is Page => p !== undefined);
    const batches: Page[][] = [];
    for (let i = 0; i < pages.length; i += batch) batches.push(pages.slice(i, i + batch));
    await Promise.all(
      batches.map(async (list) => {
        try {
          const made = await elsewhere.render(list.filter((p) => !this.rendered.has(p.url)).map(pageToRender));
          for (const variants of made) this.keep(variants.url, precompressed(variants));
        } catch {
          // A worker died: these pages render when asked for instead.
        }
      }),
    );
  }

  private keep(url: string, response: PreparedResponse): PreparedResponse {
    this.rendering.delete(url);
    // Rendered here meanwhile (the export, a test): the first one stays.
    const kept = this.rendered.get(url);
    if (kept) return kept;
    this.rendered.set(url, response);
    return response;
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
