/** The validated site: what the loader produces and the renderer consumes. */
import type { Heading, LinkRef } from './markdown.js';
import type { Library } from './documents.js';
import type { PageFrontMatter, SiteSettings } from './schema.js';

export type PageRole = 'page' | 'notFound' | 'serverError';

export interface Page {
  /** Source file relative to the content folder, with forward slashes. */
  source: string;
  /** Canonical URL path, always ending in "/". Special pages have none that is served. */
  url: string;
  role: PageRole;
  frontMatter: PageFrontMatter;
  /** Body HTML, rendered from Markdown (no raw HTML passes through). */
  bodyHtml: string;
  headings: Heading[];
  links: LinkRef[];
  /** Set on a document's own page (content/documents/<id>/index.md). */
  documentId?: string;
}

export interface NavNode {
  page: Page;
  title: string;
  url: string;
  children: NavNode[];
}

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
}
