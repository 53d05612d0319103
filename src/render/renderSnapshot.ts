/**
 * A site view as plain data, for rendering its pages on another thread:
 * everything a page's layout shows of the rest of the site (settings,
 * navigation, the titles breadcrumbs name, documents, asset addresses),
 * and nothing rendering never reads (source positions, links, file bytes).
 * The pages themselves travel with the tasks that render them. The other
 * thread makes the same RenderContext from it, so a page renders to the same
 * bytes there as here. It is small (a few hundred bytes a page), so a new
 * version costs little to send.
 */
import type {
  DocumentFile,
  ImageVariant,
  Library,
  LibraryDocument,
  NavNode,
  Page,
  SiteImage,
  SiteModel,
} from '../content/model.js';
import { fromPlainHeadings, toPlainHeadings, type PlainHeadings } from '../content/plainForms.js';
import { SourcePositions } from '../content/positions.js';
import { sameData } from '../content/sameData.js';
import type { SiteSettings } from '../content/schema.js';
import type { AssetManifest } from './assets.js';
import { createRenderContext, renderPage, type PreviewOptions, type RenderContext } from './renderPage.js';
import { createTemplateEnvironment } from './templates.js';
import type nunjucks from 'nunjucks';

/**
 * What the layout of one page reads of another: its address, the title breadcrumbs show, and the title and
 * description a list of the section's pages shows ({{sectionPages}}).
 */
type SnapshotPage = Pick<Page, 'url' | 'role' | 'source'> & {
  frontMatter: Pick<Page['frontMatter'], 'title' | 'navigation' | 'description'>;
};
type SnapshotFile = Omit<DocumentFile, 'bytes' | 'disk'>;
/** What a page shows of a picture: its addresses and sizes, not its bytes. */
type SnapshotImage = Omit<SiteImage, 'bytes' | 'variants'> & { variants?: Omit<ImageVariant, 'bytes'>[] };

interface SnapshotNav {
  url: string;
  title: string;
  children: SnapshotNav[];
}

export interface RenderSnapshot {
  settings: SiteSettings;
  pages: SnapshotPage[];
  notFoundPage: SnapshotPage | null;
  serverErrorPage: SnapshotPage | null;
  navigation: SnapshotNav[];
  documents: [string, Omit<LibraryDocument, 'files'> & { files: SnapshotFile[] }][];
  /** The pictures pages show, by source file. */
  images: [string, SnapshotImage][];
  /** Asset addresses by name. */
  assets: [string, string][];
  siteUrl: string;
  viewsDir: string;
  /** Changes when the templates do (with viewsDir): the other thread compiles them once per value. */
  templates: string;
  preview: PreviewOptions | null;
}

/** A page to render elsewhere: all of it that rendering reads (its headings in columns, see plainForms.ts). */
export type PageToRender = Omit<Page, 'positions' | 'links' | 'headings'> & { headings: PlainHeadings };

export function pageToRender(page: Page): PageToRender {
  const { positions: _positions, links: _links, headings, ...rest } = page;
  return { ...rest, headings: toPlainHeadings(headings) };
}

/** A page rendered elsewhere for serving: its validator and compressed bytes (the HTML itself stays there). */
export interface RenderedVariants {
  url: string;
  etag: string;
  gzip: Uint8Array;
  br: Uint8Array;
}

/** Where pages of a view are rendered when not on this thread (the worker pool). */
export interface RenderWorkers {
  /** A handle for a view's snapshot, sent to each worker once. */
  renderContext(snapshot: RenderSnapshot): { id: string; data: unknown };
  renderPages(context: { id: string; data: unknown }, pages: PageToRender[]): Promise<RenderedVariants[]>;
  /** A worker is ready to render at once (started, templates compiled). */
  readonly warm: boolean;
}

function snapshotPage(page: Page): SnapshotPage {
  const { title, navigation, description } = page.frontMatter;
  return {
    url: page.url,
    role: page.role,
    source: page.source,
    frontMatter: navigation === undefined ? { title, description } : { title, navigation, description },
  };
}

function snapshotImage(image: SiteImage): SnapshotImage {
  const { bytes: _bytes, variants, ...rest } = image;
  return variants ? { ...rest, variants: variants.map(({ bytes: _b, ...v }) => v) } : rest;
}

function snapshotFile(file: DocumentFile): SnapshotFile {
  const { bytes: _bytes, disk: _disk, ...rest } = file;
  return rest;
}

/**
 * Snapshot pages and navigation nodes kept by Page and NavNode object between versions (an unchanged file keeps
 * its Page object, and a build after a body edit keeps the navigation nodes not on the way to it): the next
 * version's snapshot then holds the very same objects, which sameSnapshot passes over at once.
 */
export interface SnapshotMemo {
  pages: WeakMap<Page, SnapshotPage>;
  navigation: WeakMap<NavNode, SnapshotNav>;
}

export function renderSnapshot(
  model: SiteModel,
  assets: AssetManifest,
  options: {
    siteUrl: string;
    viewsDir: string;
    templates?: string;
    preview?: PreviewOptions;
    memo?: SnapshotMemo;
  },
): RenderSnapshot {
  const memo = options.memo;
  const pageOf = (page: Page): SnapshotPage => {
    if (!memo) return snapshotPage(page);
    let made = memo.pages.get(page);
    if (!made) memo.pages.set(page, (made = snapshotPage(page)));
    return made;
  };
  const navOf = (node: NavNode): SnapshotNav => {
    let made = memo?.navigation.get(node);
    if (!made) {
      made = { url: node.url, title: node.title, children: node.children.map(navOf) };
      memo?.navigation.set(node, made);
    }
    return made;
  };
  return {
    settings: model.settings,
    pages: Array.from(model.pages.values(), pageOf),
    notFoundPage: model.notFoundPage ? snapshotPage(model.notFoundPage) : null,
    serverErrorPage: model.serverErrorPage ? snapshotPage(model.serverErrorPage) : null,
    navigation: model.navigation.map(navOf),
    documents: [...model.library.documents].map(([id, doc]) => [id, { ...doc, files: doc.files.map(snapshotFile) }]),
    images: [...model.images].map(([source, image]) => [source, snapshotImage(image)]),
    assets: assets.all.map((a) => [a.name, a.url]),
    siteUrl: options.siteUrl,
    viewsDir: options.viewsDir,
    templates: options.templates ?? options.viewsDir,
    preview: options.preview ?? null,
  };
}

/** Whether two snapshots hold the same data, so that a context made from the first renders the second's pages. */
export function sameSnapshot(a: RenderSnapshot, b: RenderSnapshot): boolean {
  return sameData(a, b);
}

/** The render context a snapshot describes, with the templates of this thread (see RenderSnapshot.templates). */
export function contextFromSnapshot(snapshot: RenderSnapshot, env: nunjucks.Environment): RenderContext {
  // Pages of the rest of the site, as far as a page's layout reads them (see SnapshotPage).
  const asPage = (p: SnapshotPage): Page => ({
    ...p,
    frontMatter: p.frontMatter,
    positions: SourcePositions.none(),
    links: [],
    bodyHtml: '',
    headings: [],
  });
  const pages = new Map(snapshot.pages.map((p) => [p.url, asPage(p)]));
  const nav = (node: SnapshotNav): NavNode => {
    const page = pages.get(node.url);
    if (!page) throw new Error(`the navigation names ${node.url}, which is not a page of the snapshot`);
    return { page, title: node.title, url: node.url, children: node.children.map(nav) };
  };
  const documents = new Map<string, LibraryDocument>(
    snapshot.documents.map(([id, doc]) => [id, { ...doc, files: doc.files as DocumentFile[] }]),
  );
  const library: Library = { documents, downloads: new Map() };
  const model: SiteModel = {
    settings: snapshot.settings,
    pages,
    notFoundPage: snapshot.notFoundPage ? asPage(snapshot.notFoundPage) : undefined,
    serverErrorPage: snapshot.serverErrorPage ? asPage(snapshot.serverErrorPage) : undefined,
    navigation: snapshot.navigation.map(nav),
    library,
    // Rendering reads a picture's addresses and sizes only; the redirects are the server's and the export's.
    images: new Map(snapshot.images as [string, SiteImage][]),
    redirects: new Map(),
  };
  const urls = new Map(snapshot.assets);
  const assets: AssetManifest = {
    url(name) {
      const url = urls.get(name);
      if (url === undefined) throw new Error(`unknown asset "${name}"`);
      return url;
    },
    byUrl: new Map(),
    byName: new Map(),
    all: [],
  };
  return createRenderContext(model, env, assets, snapshot.siteUrl, snapshot.preview ?? undefined);
}

/** Renders one page in a snapshot's context. */
export function renderFromSnapshot(ctx: RenderContext, page: PageToRender): string {
  if (page.role === 'page' && !ctx.site.pages.has(page.url))
    throw new Error(`${page.url} is not a page of this version`);
  return renderPage(ctx, {
    ...page,
    headings: fromPlainHeadings(page.headings),
    positions: SourcePositions.none(),
    links: [],
  });
}

/** The template environment a snapshot names. */
export function snapshotTemplates(snapshot: RenderSnapshot): nunjucks.Environment {
  return createTemplateEnvironment(snapshot.viewsDir);
}
