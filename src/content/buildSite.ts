/**
 * Turns the files of a content folder into a validated site model.
 * Pure: no file system, no clock, no globals. Every problem is reported
 * with its file and line; a site is returned only when there are no errors.
 */
import { createMarkdown, renderMarkdown } from '../render/markdown.js';
import { BROWSER_TITLE_MAX_LENGTH, checkBrowserTitles } from './browserTitle.js';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { buildLibrary, documentIdForSource, type DocumentPageSource } from './documents.js';
import { documentFrontMatterSchema, documentPageFrontMatter, type DocumentFrontMatter } from './documentSchema.js';
import { splitFrontMatter } from './frontMatter.js';
import { checkLinks } from './links.js';
import type { Page, PageRole, SiteModel } from './model.js';
import { buildNavigation, parentUrl } from './navigation.js';
import type { PageCache, ParsedPage } from './pageCache.js';
import { substitutePlaceholders } from './placeholders.js';
import { checkPage, normaliseText, prepareContentChecks, type PageCheckOptions } from './pageChecks.js';
import { nextPublicationChange, publicationState, type PublicationState } from './publication.js';
import { pageFrontMatterSchema, siteSettingsSchema, SLUG, type PageFrontMatter, type SiteSettings } from './schema.js';
import { validateYaml } from './validate.js';
import { locate, parseYaml, type ParsedYaml } from './yaml.js';
import type { ContentEntry, ContentFolder } from './readContentFolder.js';

export const SETTINGS_FILE = 'site.yml';
const SPECIAL_PAGES: Record<string, PageRole> = { '404.md': 'notFound', '500.md': 'serverError' };

export interface BuildResult {
  site: SiteModel | null;
  diagnostics: Diagnostic[];
  /** Every page that parsed, published or not, with its state at the build's instant. */
  sourcePages: SourcePage[];
  /** When a page next appears or disappears by its publishDate or expiryDate; null if never. */
  nextChangeAt: number | null;
}

export interface SourcePage {
  page: Page;
  state: PublicationState;
}

export interface BuildOptions {
  /** The instant that decides scheduled pages; the edge passes the clock in. */
  now?: number;
  /** The editor's preview: drafts, scheduled and expired pages are served too. */
  preview?: boolean;
  /** Parsed pages kept between builds: only changed files are parsed again. */
  cache?: PageCache;
  /** Advice on the writing (long sentences, plain English), for the tools writers use; on in the preview unless set. */
  writingAdvice?: boolean;
}

export function buildSite(folder: ContentFolder, options: BuildOptions = {}): BuildResult {
  const now = options.now ?? Date.now();
  const diagnostics: Diagnostic[] = [];
  const settings = loadSettings(folder.entries, diagnostics);

  for (const entry of folder.entries) {
    if (entry.kind === 'symlink') {
      diagnostics.push(diagnostic(entry.path, 'symbolic links are not allowed in the content folder: replace the link with the real file'));
    } else if (entry.kind === 'other') {
      diagnostics.push(diagnostic(entry.path, 'this is not a regular file: remove it from the content folder'));
    }
  }

  const md = createMarkdown();
  const checks = prepareContentChecks(folder.entries, settings, SETTINGS_FILE, options.writingAdvice ?? options.preview === true);
  diagnostics.push(...checks.diagnostics);
  const pages: Page[] = [];
  const frontMatters = new Map<string, ParsedYaml>();
  const documentPages: DocumentPageSource[] = [];
  const settingsKey = JSON.stringify(settings) + checks.options.key;
  const cache = options.cache;
  cache?.beginBuild();
  const parsedSources = new Set<string>();
  for (const entry of folder.entries) {
    if (entry.kind !== 'file' || !entry.path.endsWith('.md')) continue;
    const bytes = entry.bytes ?? Buffer.alloc(0);
    const parse = () => loadPage(entry, settings, md, checks.options);
    const loaded = cache ? cache.get(entry.path, bytes, settingsKey, parse) : parse();
    diagnostics.push(...loaded.diagnostics);
    if (!loaded.page) continue;
    pages.push(loaded.page);
    parsedSources.add(loaded.page.source);
    if (loaded.frontMatter) frontMatters.set(entry.path, loaded.frontMatter);
    if (loaded.document) documentPages.push(loaded.document);
  }
  cache?.endBuild();

  pages.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const states = publicationStates(pages, now);
  const routable = new Map<string, Page>();
  const unpublished = new Map<string, PublicationState>();
  let notFoundPage: Page | undefined;
  let serverErrorPage: Page | undefined;
  for (const page of pages) {
    const state = states.get(page)!;
    if (page.role === 'notFound') notFoundPage = page;
    else if (page.role === 'serverError') serverErrorPage = page;
    else if (state !== 'published' && !options.preview) {
      if (!routable.has(page.url)) unpublished.set(page.url, state);
    } else {
      const existing = routable.get(page.url);
      if (existing) {
        diagnostics.push(diagnostic(page.source, `this page has the same web address (${page.url}) as ${existing.source}: rename or remove one of them`));
      } else {
        routable.set(page.url, page);
        unpublished.delete(page.url);
      }
    }
  }
  if (!folder.entries.some((e) => e.path === 'index.md')) {
    diagnostics.push(diagnostic('index.md', 'the site has no home page: add index.md at the top of the content folder'));
  }
  if (!folder.entries.some((e) => e.path === '404.md')) {
    diagnostics.push(diagnostic('404.md', 'the site has no "page not found" page: add 404.md at the top of the content folder'));
  }

  const navigation = buildNavigation([...routable.values()], diagnostics);
  // Pages that failed validation still exist: links to them are not reported too.
  const invalidPageUrls = new Set(
    folder.entries
      .filter((e) => e.kind === 'file' && e.path.endsWith('.md') && !parsedSources.has(e.path))
      .map((e) => urlForSource(e.path, []))
      .filter((u): u is string => u !== null),
  );
  checkLinks([...routable.values(), ...[notFoundPage, serverErrorPage].filter((p): p is Page => !!p)], routable, diagnostics, invalidPageUrls, unpublished);
  const library = buildLibrary(
    {
      documentPages: documentPages.filter((d) => routable.get(d.page.url) === d.page),
      citingPages: pages,
      entries: folder.entries,
      root: folder.root,
      locate: (source, keyPath) => locateIn(frontMatters.get(source), keyPath),
    },
    diagnostics,
  );

  checkBrowserTitles(pages, (source) => locateIn(frontMatters.get(source), ['title']), diagnostics);

  const sorted = sortDiagnostics(diagnostics);
  const sourcePages = pages.map((page) => ({ page, state: states.get(page)! }));
  const nextChangeAt = nextPublicationChange(pages.filter((p) => p.role === 'page').map((p) => p.frontMatter), now);
  if (!settings || hasErrors(sorted)) return { site: null, diagnostics: sorted, sourcePages, nextChangeAt };
  return {
    site: { settings, pages: routable, notFoundPage, serverErrorPage, navigation, library },
    diagnostics: sorted,
    sourcePages,
    nextChangeAt,
  };
}

/**
 * Each page's publication state; a page inside a section whose own page is
 * not published is not published either, so that a section disappears whole
 * rather than leaving pages without a place in the navigation.
 */
function publicationStates(sortedPages: readonly Page[], now: number): Map<Page, PublicationState> {
  const states = new Map<Page, PublicationState>();
  const byUrl = new Map<string, PublicationState>();
  for (const page of sortedPages) {
    let state = publicationState(page.frontMatter, now);
    if (page.role === 'page') {
      const parent = parentUrl(page.url);
      const parentState = parent !== null && parent !== '/' ? byUrl.get(parent) : undefined;
      if (state === 'published' && parentState !== undefined && parentState !== 'published') state = parentState;
      if (!byUrl.has(page.url)) byUrl.set(page.url, state);
    }
    states.set(page, state);
  }
  return states;
}


function loadSettings(entries: readonly ContentEntry[], diagnostics: Diagnostic[]): SiteSettings | null {
  const entry = entries.find((e) => e.path === SETTINGS_FILE && e.kind === 'file');
  if (!entry?.bytes) {
    diagnostics.push(diagnostic(SETTINGS_FILE, `the site settings file is missing: add ${SETTINGS_FILE} at the top of the content folder`));
    return null;
  }
  const parsed = parseYaml(decodeText(entry.bytes));
  if (!parsed.ok) {
    for (const p of parsed.problems) diagnostics.push(diagnostic(SETTINGS_FILE, p.message, p));
    return null;
  }
  const result = validateYaml(siteSettingsSchema, parsed.value, SETTINGS_FILE);
  if (!result.ok) {
    diagnostics.push(...result.diagnostics.map((d) => ({ ...d, message: d.message.replace(/^the front matter/, 'the settings') })));
    return null;
  }
  return result.value;
}

/** Parses one page. Its diagnostics travel with it, so a cached page reports them again. */
function loadPage(entry: ContentEntry, settings: SiteSettings | null, md: ReturnType<typeof createMarkdown>, checks: PageCheckOptions): ParsedPage {
  const diagnostics: Diagnostic[] = [];
  const fail = (): ParsedPage => ({ page: null, diagnostics });
  const file = entry.path;
  const documentId = documentIdForSource(file);
  const role = SPECIAL_PAGES[file] ?? 'page';
  const url = role === 'page' ? urlForSource(file, diagnostics) : `/${file.replace(/\.md$/, '')}/`;
  const text = decodeText(entry.bytes ?? Buffer.alloc(0));
  const split = splitFrontMatter(text);
  if (!split.ok) {
    for (const p of split.problems) diagnostics.push(diagnostic(file, p.message, p));
    return fail();
  }
  const { frontMatter, body, bodyLineOffset } = split.value;
  // A document's page has its own front matter (summary, category, files).
  let pageFrontMatter: PageFrontMatter;
  let documentFrontMatter: DocumentFrontMatter | null = null;
  if (documentId === null) {
    const validated = validateYaml(pageFrontMatterSchema, frontMatter, file);
    if (!validated.ok) {
      diagnostics.push(...validated.diagnostics);
      return fail();
    }
    pageFrontMatter = validated.value;
  } else {
    const validated = validateYaml(documentFrontMatterSchema, frontMatter, file);
    if (!validated.ok) {
      diagnostics.push(...validated.diagnostics);
      return fail();
    }
    documentFrontMatter = validated.value;
    pageFrontMatter = documentPageFrontMatter(documentFrontMatter);
  }
  if (!settings || url === null) return fail();
  const substituted = substitutePlaceholders(body, settings, file, bodyLineOffset);
  diagnostics.push(...substituted.diagnostics);
  const rendered = renderMarkdown(md, substituted.body, bodyLineOffset);
  checkHeadings(file, rendered.headings, diagnostics);
  diagnostics.push(...checkPage(file, { text: normaliseText(text), frontMatter, body, bodyLineOffset }, checks));
  if (documentFrontMatter?.originalDate && !settings.labels.documents.originalDate) {
    diagnostics.push(diagnostic(file, `the site settings have no label to show "originalDate" with: add "originalDate" under labels.documents in ${SETTINGS_FILE}, for example "Original document: {date}"`, locate(frontMatter, ['originalDate'])));
  }
  const page: Page = {
    source: file,
    url,
    role,
    frontMatter: pageFrontMatter,
    bodyHtml: rendered.html,
    headings: rendered.headings,
    links: rendered.links,
    ...(documentId !== null ? { documentId } : {}),
  };
  // The parsed YAML (with its node positions) is kept only where a later
  // check may point into it: a large site would otherwise hold a syntax tree
  // per page for as long as it is served.
  const needsPositions = documentId !== null || (pageFrontMatter.documents?.length ?? 0) > 0 || pageFrontMatter.title.length > BROWSER_TITLE_MAX_LENGTH;
  return {
    page,
    diagnostics,
    ...(needsPositions ? { frontMatter } : {}),
    ...(documentId !== null && documentFrontMatter ? { document: { page, id: documentId, frontMatter: documentFrontMatter } } : {}),
  };
}

function locateIn(parsed: ParsedYaml | undefined, keyPath: readonly (string | number)[]): { line: number; column: number } {
  return parsed ? locate(parsed, keyPath) : { line: 1, column: 1 };
}

/** content/work-streams/kpi.md → /work-streams/kpi/; index.md stands for its folder. */
export function urlForSource(file: string, diagnostics: Diagnostic[]): string | null {
  const segments = file.replace(/\.md$/, '').split('/');
  if (segments[segments.length - 1] === 'index') segments.pop();
  for (const segment of segments) {
    if (!SLUG.test(segment)) {
      diagnostics.push(
        diagnostic(file, `"${segment}" cannot be part of a web address: rename it using lowercase letters, digits and hyphens (for example "${suggestSlug(segment)}")`),
      );
      return null;
    }
  }
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

function suggestSlug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'page'
  );
}

function checkHeadings(file: string, headings: readonly { level: number; line: number }[], diagnostics: Diagnostic[]): void {
  let previous = 1;
  for (const h of headings) {
    if (h.level === 1) {
      diagnostics.push(diagnostic(file, 'the page title is already the main heading: start body headings at "##"', { line: h.line }, 'warning'));
    } else if (h.level > previous + 1) {
      diagnostics.push(diagnostic(file, `heading level ${h.level} follows level ${previous}: do not skip heading levels`, { line: h.line }, 'warning'));
    }
    previous = h.level;
  }
}

function decodeText(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
