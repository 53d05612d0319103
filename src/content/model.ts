/**
 * The validated site: what the loader produces and the renderer consumes.
 * Types only, so every layer can name them without importing behaviour.
 */
import type { DocumentFrontMatter } from './documentSchema.js';
import type { FileType } from './fileInfo.js';
import type { ImageKind } from './imageFiles.js';
import type { Heading, LinkRef } from './markdown.js';
import type { SourcePositions } from './positions.js';
import type { PageFrontMatter, SiteSettings } from './schema.js';

export type PageRole = 'page' | 'notFound' | 'serverError';

/** Where a link points, worked out once when its page is parsed. */
export type LinkTarget =
  { kind: 'external' } | { kind: 'fragment'; id: string } | { kind: 'invalid' } | { kind: 'path'; pathname: string };

export interface PageLink extends LinkRef {
  target: LinkTarget;
}

/** An image a page shows, as written in its Markdown (its HTML carries a marker until rendered). */
export interface PageImage {
  href: string;
  line: number;
  column: number;
  alt: string;
  /** Marked {decorative}: an empty alt, on purpose. */
  decorative: boolean;
  /** The content file it names, relative to the content folder; null when it names none (a web address). */
  source: string | null;
}

/** An image file of the content folder that pages show, served at a fingerprinted address. */
export interface SiteImage {
  source: string;
  /** /assets/content/<name>.<hash>.<ext>: a new address whenever the bytes change, so it can be cached for a year. */
  url: string;
  kind: ImageKind;
  contentType: string;
  width: number;
  height: number;
  bytes: Buffer;
  etag: string;
  /** Smaller copies for phones, narrowest first, when the picture is wider than they are (see imageVariants.ts). */
  variants?: readonly ImageVariant[];
}

/** A smaller copy of a content image, at its own fingerprinted address. */
export interface ImageVariant {
  url: string;
  width: number;
  height: number;
  contentType: string;
  bytes: Buffer;
  etag: string;
}

export interface Page {
  /** Source file relative to the content folder, with forward slashes. */
  source: string;
  /** Canonical URL path, always ending in "/". Special pages have none that is served. */
  url: string;
  role: PageRole;
  frontMatter: PageFrontMatter;
  /** Where each front matter setting is in the source file. */
  positions: SourcePositions;
  /** Body HTML, rendered from Markdown (no raw HTML passes through). */
  bodyHtml: string;
  headings: Heading[];
  links: PageLink[];
  /** Images in the body, in order (absent on the engine's own pages). */
  images?: PageImage[];
  /** Set on a document's own page (content/documents/<id>/index.md)... */
  documentId?: string;
  /** ...with its document's own front matter (summary, category, files). */
  document?: DocumentFrontMatter;
}

export interface NavNode {
  page: Page;
  title: string;
  url: string;
  children: NavNode[];
}

/**
 * One view of a content version: the public site (published pages only) or
 * the preview (drafts, scheduled and expired pages too). Both views of a
 * version share the same Page objects.
 */
export interface SiteModel {
  settings: SiteSettings;
  /** Routable pages by canonical URL, in a stable order. */
  pages: ReadonlyMap<string, Page>;
  notFoundPage: Page | undefined;
  serverErrorPage: Page | undefined;
  /** Top level of the shared navigation, in the order front matter gives. */
  navigation: NavNode[];
  /** Documents and the only files that may be downloaded. */
  library: Library;
  /** Images by source path: those published pages show (the preview: every valid image of the folder). */
  images: ReadonlyMap<string, SiteImage>;
  /** Old addresses by path, each to the address it moved to (301); see redirects.ts. */
  redirects: ReadonlyMap<string, string>;
}

/** Which file on disk a document file's bytes came from, so a server can notice it was replaced. */
export interface FileIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export interface DiskFile {
  absolutePath: string;
  /** The folder that must hold it, resolved when the content was read. */
  root: string;
  identity: FileIdentity;
}

export interface CsvTable {
  header: string[];
  /** The first rows shown on the page (TABLE_PREVIEW_ROWS), each as long as the header. */
  rows: string[][];
  totalRows: number;
}

/** Where a CSV file has cells a spreadsheet program may run as formulas. */
export interface FormulaCells {
  count: number;
  /** The first one: 1-based row (counting the header) and column, and the line it is on. */
  first: { row: number; column: number; line: number; text: string };
}

export interface DocumentFile {
  /** File name in the document's folder, also the download name. */
  name: string;
  /** Path relative to the content folder. */
  source: string;
  url: string;
  /** Names the file in its download link. */
  title: string;
  type: FileType;
  size: number;
  sha256: string;
  etag: string;
  pageCount: number | null;
  lastModified: Date;
  bytes: Buffer;
  /** Present when the content was read from disk; absent for in-memory test sites. */
  disk?: DiskFile;
  table?: CsvTable;
  /** Set when a CSV file has cells a spreadsheet program may run as formulas: the page warns. */
  formulas?: FormulaCells;
}

export interface LibraryDocument {
  id: string;
  url: string;
  source: string;
  frontMatter: DocumentFrontMatter;
  files: DocumentFile[];
}

export interface Library {
  documents: ReadonlyMap<string, LibraryDocument>;
  /** Every downloadable file by its URL: the only files the server hands out. */
  downloads: ReadonlyMap<string, DocumentFile>;
}
