/**
 * A site view as plain data, for rendering its pages on another thread:
 * everything a page's layout shows (settings, navigation, breadcrumbs,
 * documents, asset addresses), without what rendering never reads (source
 * positions, links, file bytes) and without page bodies, which travel with
 * the pages to render. The other thread makes the same RenderContext from it,
 * so a page renders to the same bytes there as here.
 */
import type { DocumentFile, Library, LibraryDocument, NavNode, Page, SiteModel } from '../content/model.js';
import { SourcePositions } from '../content/positions.js';
import type { SiteSettings } from '../content/schema.js';
import type { AssetManifest } from './assets.js';
import { createRenderContext, renderPage, type PreviewOptions, type RenderContext } from './renderPage.js';
import { createTemplateEnvironment } from './templates.js';

type SnapshotPage = Omit<Page, 'positions' | 'links' | 'bodyHtml'>;
type SnapshotFile = Omit<DocumentFile, 'bytes' | 'disk'>;

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
  /** Asset addresses by name. */
  assets: [string, string][];
  siteUrl: string;
  viewsDir: string;
  preview: PreviewOptions | null;
}

/** A page to render elsewhere: its address and its body, the one part of a page the snapshot leaves out. */
export interface PageToRender {
  url: string;
  bodyHtml: string;
}

function snapshotPage(page: Page): SnapshotPage {
  const { positions: _positions, links: _links, bodyHtml: _body, ...rest } = page;
  return rest;
}

function snapshotNav(node: NavNode): SnapshotNav {
  return { url: node.url, title: node.title, children: node.children.map(snapshotNav) };
}

function snapshotFile(file: DocumentFile): SnapshotFile {
  const { bytes: _bytes, disk: _disk, ...rest } = file;
  return rest;
}

export function renderSnapshot(
  model: SiteModel,
  assets: AssetManifest,
  options: { siteUrl: string; viewsDir: string; preview?: PreviewOptions },
): RenderSnapshot {
  return {
    settings: model.settings,
    pages: [...model.pages.values()].map(snapshotPage),
    notFoundPage: model.notFoundPage ? snapshotPage(model.notFoundPage) : null,
    serverErrorPage: model.serverErrorPage ? snapshotPage(model.serverErrorPage) : null,
    navigation: model.navigation.map(snapshotNav),
    documents: [...model.library.documents].map(([id, doc]) => [id, { ...doc, files: doc.files.map(snapshotFile) }]),
    assets: assets.all.map((a) => [a.name, a.url]),
    siteUrl: options.siteUrl,
    viewsDir: options.viewsDir,
    preview: options.preview ?? null,
  };
}

/** The render context a snapshot describes, with templates compiled on this thread. */
export function contextFromSnapshot(snapshot: RenderSnapshot): RenderContext {
  const asPage = (p: SnapshotPage): Page => ({ ...p, positions: SourcePositions.none(), links: [], bodyHtml: '' });
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
  return createRenderContext(
    model,
    createTemplateEnvironment(snapshot.viewsDir),
    assets,
    snapshot.siteUrl,
    snapshot.preview ?? undefined,
  );
}

/** Renders one page of a snapshot's context, given its body. */
export function renderFromSnapshot(ctx: RenderContext, job: PageToRender): string {
  const page = ctx.site.pages.get(job.url);
  if (!page) throw new Error(`${job.url} is not a page of this version`);
  return renderPage(ctx, { ...page, bodyHtml: job.bodyHtml });
}
