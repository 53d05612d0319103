/**
 * The one site renderer. It renders site models incrementally: after an edit, only the pages whose
 * HTML can have changed are rendered again; the others keep their prepared
 * bytes (and so their ETags).
 *
 * What a page's HTML depends on, read from renderPage:
 * - the page itself (a new Page object means its file changed; the page cache
 *   hands back the same object for an unchanged file);
 * - its section: the sidebar expands the section the page is in, and the
 *   breadcrumbs name the pages above it, all inside that section;
 * - the top level of the navigation (header and sidebar on every page);
 * - for a page listing its section's pages ({{sectionPages}}), their titles and descriptions;
 * - the site settings, templates, assets and site URL (every page).
 * Each of these is summarised as a key; a page is rendered again when one of
 * its keys differs from the last render. The keys are compared, not guessed,
 * so an unusual edit costs time, never correctness.
 */
import { LIBRARY_URL } from '../content/documents.js';
import type { Library, NavNode, Page, SiteModel } from '../content/model.js';
import { imagesKey } from '../content/images.js';
import { indexNavigation, navTitle } from '../content/navigation.js';
import { buildAssets, type AssetManifest } from './assets.js';
import { ASSET_COMPRESSION, PreparedResponse } from './prepared.js';
import { HTML, PageResponses, type RenderedSite, type RenderElsewhere } from './renderedSite.js';
import {
  renderSnapshot,
  sameSnapshot,
  type PageToRender,
  type RenderSnapshot,
  type RenderWorkers,
  type SnapshotMemo,
} from './renderSnapshot.js';
import {
  createRenderContext,
  renderPage,
  renderRobots,
  sitemapEntry,
  sitemapOf,
  type PreviewOptions,
} from './renderPage.js';
import { createTemplateEnvironment } from './templates.js';
import { PUBLIC_DIR, VIEWS_DIR } from '../paths.js';
import type nunjucks from 'nunjucks';
import { EnginePages } from './enginePages.js';
import { sectionListKey, usesSectionPages } from './sectionPages.js';

/**
 * Compiled templates and fingerprinted assets, shared by the renderers of
 * one process (the public view and the preview), reloaded when their files
 * change. The generation counts reloads: every page depends on it.
 */
export class RenderResources {
  private templates: nunjucks.Environment;
  private manifest: AssetManifest;
  private generation_ = 0;

  constructor(private readonly dirs: { viewsDir?: string; publicDir?: string } = {}) {
    this.templates = createTemplateEnvironment(dirs.viewsDir ?? VIEWS_DIR);
    this.manifest = buildAssets(dirs.publicDir ?? PUBLIC_DIR);
  }

  get env(): nunjucks.Environment {
    return this.templates;
  }

  get assets(): AssetManifest {
    return this.manifest;
  }

  get generation(): number {
    return this.generation_;
  }

  /** The folder the templates are read from (for rendering on other threads). */
  get viewsDir(): string {
    return this.dirs.viewsDir ?? VIEWS_DIR;
  }

  /** Templates changed on disk: every page is rendered again. */
  reloadTemplates(): void {
    this.templates = createTemplateEnvironment(this.dirs.viewsDir ?? VIEWS_DIR);
    this.generation_++;
  }

  /** Stylesheets, scripts or images changed: new fingerprints, so every page again. */
  reloadAssets(): void {
    this.manifest = buildAssets(this.dirs.publicDir ?? PUBLIC_DIR);
    this.generation_++;
  }
}

export interface SiteRendererOptions {
  siteUrl: string;
  /** Shared with other renderers of the process; made from the default folders when absent. */
  resources?: RenderResources;
  /** Set for the preview view: notices on unpublished pages and the live reload script. */
  preview?: PreviewOptions;
  /** Worker threads to render pages on when they are first asked for; this thread renders them without. */
  workers?: RenderWorkers;
}

export interface RenderStats {
  /**
   * URLs whose HTML may differ from the earlier version's, because something
   * they depend on changed (or they are new); "404" and "500" stand for the
   * error pages. Pages render when first requested, so these render again on
   * their next request; every other rendered page is carried over.
   */
  invalidated: string[];
  /** Rendered pages carried over unchanged. */
  reused: number;
  /** Invalidated pages the earlier version had rendered: visitors ask for them, so they are rendered again first. */
  rerender: string[];
  ms: number;
}

interface RenderKeys {
  global: string;
  /** The sitemap's entries. */
  sitemap: string[];
  top: string;
  library: string;
  /** Per section, the entries of its key (the same string objects for unchanged pages: see PageFacts). */
  sections: Map<string, string[]>;
  /** What the list of its section's pages shows, for each page with one ({{sectionPages}}). */
  sectionLists: Map<string, string>;
  pages: Map<string, Page>;
  /** The addresses and sizes of the images each page shows ("404" and "500" for the error pages), when it shows any. */
  images: Map<string, string>;
  notFoundPage: Page | undefined;
  serverErrorPage: Page | undefined;
}

/**
 * What the keys read of one page, worked out once per Page object: an unchanged file keeps its Page object (see
 * PageCache), so a new version costs a lookup per page here, not a scan of every page's HTML.
 */
interface PageFacts {
  usesSectionPages: boolean;
  /** The page's address and navigation title, as its section's key lists them. */
  navEntry: string;
  sitemapEntry: string;
}

/** The top-level section a URL belongs to: "/work-streams/kpis/" → "/work-streams/". */
export function sectionOf(url: string): string {
  const second = url.indexOf('/', 1);
  return second === -1 ? '/' : url.slice(0, second + 1);
}

/** Pages whose HTML shows documents: a document's page, pages citing documents, the library. */
function usesLibrary(page: Page): boolean {
  return (
    page.documentId !== undefined ||
    (page.frontMatter.documents?.length ?? 0) > 0 ||
    (page.role === 'page' && page.url === LIBRARY_URL)
  );
}

export class SiteRenderer {
  private readonly options: SiteRendererOptions;
  readonly resources: RenderResources;
  private readonly siteUrl: string;
  private last: { site: RenderedSite; keys: RenderKeys } | null = null;
  private readonly pageFacts = new WeakMap<Page, PageFacts>();
  /** The snapshot the workers were last sent, and its context: a version whose snapshot is the same reuses it. */
  private sent: { snapshot: RenderSnapshot; context: { id: string; data: unknown } } | null = null;
  private readonly snapshotMemo: SnapshotMemo = { pages: new WeakMap(), navigation: new WeakMap() };
  /** A navigation subtree's part of its section's key, by node (see withChangedPages in content/crossPageReuse.ts). */
  private readonly subtreeKeys = new WeakMap<NavNode, string>();

  constructor(options: SiteRendererOptions) {
    this.options = options;
    this.resources = options.resources ?? new RenderResources();
    this.siteUrl = options.siteUrl.replace(/\/+$/, '');
  }

  /**
   * Prepares a model for serving, keeping the earlier version's rendered
   * pages where nothing they depend on changed. Throws (keeping the earlier
   * version) if the error pages fail to render: a template problem.
   */
  render(model: SiteModel): { site: RenderedSite; stats: RenderStats } {
    const started = performance.now();
    const { env, assets, generation } = this.resources;
    const ctx = createRenderContext(model, env, assets, this.siteUrl, this.options.preview);
    const keys = renderKeys(
      model,
      `${generation}|${this.siteUrl}|${JSON.stringify(model.settings)}`,
      (page) => this.factsOf(page),
      (node) => this.subtreeKey(node),
    );
    const previous = this.last && this.last.keys.global === keys.global ? this.last : null;
    const topSame = previous !== null && previous.keys.top === keys.top;
    const librarySame = previous !== null && previous.keys.library === keys.library;
    const invalidated: string[] = [];
    const rerender: string[] = [];
    const reuse = new Map<string, PreparedResponse>();

    const before = previous?.site.pages.renderedSoFar();
    // Compared once per section, not once per page of it.
    const sectionsSame = new Map<string, boolean>();
    const sectionSame = (section: string) => {
      let same = sectionsSame.get(section);
      if (same === undefined) {
        same = sameStrings(previous!.keys.sections.get(section), keys.sections.get(section));
        sectionsSame.set(section, same);
      }
      return same;
    };
    for (const page of model.pages.values()) {
      const section = sectionOf(page.url);
      const dependenciesSame =
        topSame &&
        previous!.keys.pages.get(page.url) === page &&
        sectionSame(section) &&
        previous!.keys.sectionLists.get(page.url) === keys.sectionLists.get(page.url) &&
        (librarySame || !usesLibrary(page)) &&
        previous!.keys.images.get(page.url) === keys.images.get(page.url);
      if (!dependenciesSame) {
        invalidated.push(page.url);
        if (before?.has(page.url)) rerender.push(page.url);
        continue;
      }
      // Pages render when first requested: one never requested has nothing to carry over.
      const old = before?.get(page.url);
      if (old) reuse.set(page.url, old);
    }

    const notFoundPage = model.notFoundPage!;
    const serverErrorPage = model.serverErrorPage ?? notFoundPage;
    const errorPage = (
      label: string,
      page: Page,
      old: PreparedResponse | undefined,
      oldPage: Page | undefined,
    ): PreparedResponse => {
      if (
        old &&
        topSame &&
        oldPage === page &&
        (librarySame || !usesLibrary(page)) &&
        previous!.keys.images.get(label) === keys.images.get(label)
      ) {
        reuse.set(label, old);
        return old;
      }
      invalidated.push(label);
      return new PreparedResponse(renderPage(ctx, page), HTML);
    };
    const site: RenderedSite = {
      model,
      notFound: errorPage('404', notFoundPage, previous?.site.notFound, previous?.keys.notFoundPage),
      serverError: errorPage(
        '500',
        serverErrorPage,
        previous?.site.serverError,
        previous?.keys.serverErrorPage ?? previous?.keys.notFoundPage,
      ),
      pages: new PageResponses(
        ctx,
        model,
        new Map([...reuse].filter(([url]) => url.startsWith('/'))),
        this.renderElsewhere(model, assets, generation),
      ),
      // Compressing a large sitemap is the costly part: keep it while the list is the same.
      sitemap:
        previous && sameStrings(previous.keys.sitemap, keys.sitemap)
          ? previous.site.sitemap
          : new PreparedResponse(sitemapOf(keys.sitemap), 'application/xml; charset=utf-8'),
      robots: previous?.site.robots ?? new PreparedResponse(renderRobots(this.siteUrl), 'text/plain; charset=utf-8'),
      assets,
      enginePages: new EnginePages(ctx),
      images: imageResponses(model, previous?.site.images),
    };
    this.last = { site, keys };
    return { site, stats: { invalidated, reused: reuse.size, rerender, ms: performance.now() - started } };
  }

  private factsOf(page: Page): PageFacts {
    let facts = this.pageFacts.get(page);
    if (!facts) {
      facts = {
        usesSectionPages: usesSectionPages(page),
        navEntry: JSON.stringify([page.url, navTitle(page)]),
        sitemapEntry: sitemapEntry(page, this.siteUrl),
      };
      this.pageFacts.set(page, facts);
    }
    return facts;
  }

  /** JSON.stringify(subtree(node)), made of the kept keys of the node's children. */
  private subtreeKey(node: NavNode): string {
    let key = this.subtreeKeys.get(node);
    if (key === undefined) {
      const children = node.children.map((child) => this.subtreeKey(child)).join(',');
      key = `[${JSON.stringify(node.url)},${JSON.stringify(node.title)},[${children}]]`;
      this.subtreeKeys.set(node, key);
    }
    return key;
  }

  /** Renders pages of this model on the workers; the snapshot is made and sent when first needed. */
  private renderElsewhere(model: SiteModel, assets: AssetManifest, generation: number): RenderElsewhere | undefined {
    const workers = this.options.workers;
    if (!workers) return undefined;
    let context: { id: string; data: unknown } | undefined;
    const contextOf = () => {
      const snapshot = renderSnapshot(model, assets, {
        siteUrl: this.siteUrl,
        viewsDir: this.resources.viewsDir,
        templates: `${this.resources.viewsDir}|${generation}`,
        ...(this.options.preview ? { preview: this.options.preview } : {}),
        memo: this.snapshotMemo,
      });
      // An edit to a page's body leaves the rest of the site as the layout sees it: the workers keep what they
      // were sent (thousands of pages' titles and the navigation) instead of receiving and rebuilding it again.
      if (this.sent && sameSnapshot(this.sent.snapshot, snapshot)) return this.sent.context;
      this.sent = { snapshot, context: workers.renderContext(snapshot) };
      return this.sent.context;
    };
    const render = (pages: PageToRender[]) => {
      context ??= contextOf();
      return workers.renderPages(context, pages);
    };
    return { render, warm: () => workers.warm };
  }
}

/** Renders a model once, with no earlier version to reuse: the export and the one-shot commands. */
export function renderSite(model: SiteModel, options: SiteRendererOptions): RenderedSite {
  return new SiteRenderer(options).render(model).site;
}

function renderKeys(
  model: SiteModel,
  global: string,
  factsOf: (page: Page) => PageFacts,
  subtreeKey: (node: NavNode) => string,
): RenderKeys {
  const top = JSON.stringify(model.navigation.map((n) => [n.url, n.title]));
  // Per section: its navigation subtree, and every page's address and navigation
  // title (breadcrumbs name hidden pages too).
  const parts = new Map<string, string[]>();
  const pages = new Map<string, Page>();
  const sitemap: string[] = [];
  const sectionLists = new Map<string, string>();
  let index: Map<string, NavNode> | undefined;
  const navIndex = () => (index ??= indexNavigation(model.navigation));
  for (const page of model.pages.values()) {
    pages.set(page.url, page);
    const facts = factsOf(page);
    sitemap.push(facts.sitemapEntry);
    if (facts.usesSectionPages) sectionLists.set(page.url, sectionListKey(page, model, navIndex));
    const section = sectionOf(page.url);
    let list = parts.get(section);
    if (!list) parts.set(section, (list = []));
    list.push(facts.navEntry);
  }
  for (const node of model.navigation) {
    const section = sectionOf(node.url);
    let list = parts.get(section);
    if (!list) parts.set(section, (list = []));
    list.push(subtreeKey(node));
  }
  const sections = parts;
  const images = new Map<string, string>();
  const withImages: Array<[string, Page | undefined]> = [
    ...pages,
    ['404', model.notFoundPage],
    ['500', model.serverErrorPage ?? model.notFoundPage],
  ];
  for (const [label, page] of withImages) if (page?.images?.length) images.set(label, imagesKey(page, model.images));
  return {
    global,
    sitemap,
    top,
    library: libraryKey(model.library),
    sections,
    sectionLists,
    pages,
    images,
    notFoundPage: model.notFoundPage,
    serverErrorPage: model.serverErrorPage,
  };
}

/**
 * The content images a view serves, by address. An address holds a hash of the bytes, so a response made for an
 * earlier version is the same one: kept, with its ETag.
 */
function imageResponses(
  model: SiteModel,
  earlier: ReadonlyMap<string, PreparedResponse> | undefined,
): Map<string, PreparedResponse> {
  const responses = new Map<string, PreparedResponse>();
  for (const image of model.images.values())
    for (const file of [image, ...(image.variants ?? [])]) {
      if (responses.has(file.url)) continue;
      responses.set(
        file.url,
        earlier?.get(file.url) ?? new PreparedResponse(file.bytes, file.contentType, ASSET_COMPRESSION),
      );
    }
  return responses;
}

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Everything about the documents that a page can show (file bytes by their hash). */
function libraryKey(library: Library): string {
  return JSON.stringify(
    [...library.documents.values()].map((d) => [
      d.id,
      d.url,
      d.frontMatter,
      d.files.map((f) => [f.name, f.url, f.title, f.type, f.size, f.sha256, f.pageCount, f.lastModified.getTime()]),
    ]),
  );
}
