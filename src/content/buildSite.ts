/**
 * Turns the files of a content folder into a validated content version with
 * two views: the public site and the preview (drafts and scheduled pages
 * too). Both views share one parse of every file. Pure: no file system, no
 * clock, no globals. Every problem is reported with its file and line; the
 * views are returned only when there are no errors.
 */
import { checkBrowserTitles } from './browserTitle.js';
import {
  diagnostic,
  hasErrors,
  hasPreviewErrors,
  publicOnly,
  sortDiagnostics,
  type Diagnostic,
} from './diagnostics.js';
import {
  buildLibrary,
  documentIdForSource,
  DOCUMENTS_FOLDER,
  MAX_DOCUMENT_FILE_BYTES,
  type DocumentPageSource,
} from './documents.js';
import { documentFrontMatterSchema, documentPageFrontMatter, type DocumentFrontMatter } from './documentSchema.js';
import { sha256 } from './contentCache.js';
import {
  type CrossPageMemo,
  Lazy,
  withChangedPages,
  type ChangedPages,
  type CrossPage,
  type CrossPageInput,
} from './crossPageReuse.js';
import { fileFacts, FileFactsCache, type FileFacts, type FileFactsStore } from './fileFacts.js';
import { kindFromName, type FileKind } from './fileInfo.js';
import { splitFrontMatter } from './frontMatter.js';
import type { ImageFactsStore } from './imageFiles.js';
import { checkImages, pageImages } from './images.js';
import { checkLinks, checkSettingsLinks, resolveLinks, type InvalidPage, type LinkHolder } from './links.js';
import { createMarkdown, renderMarkdown } from './markdown.js';
import type { DocumentFile, Library, Page, PageRole, SiteModel } from './model.js';
import { buildNavigation, parentUrl } from './navigation.js';
import type { ParsedPage, ParsedPageCache } from './pageCache.js';
import {
  checkPage,
  normaliseText,
  prepareContentChecks,
  type PageCheckOptions,
  type PageSource,
} from './pageChecks.js';
import { placeholderValues, unknownPlaceholderDiagnostics } from './placeholders.js';
import { WORD_LIST_FILE } from './plainEnglish.js';
import { SourcePositions, type PlainPositions } from './positions.js';
import { createBlockParser } from './prose.js';
import {
  fromPlainHeadings,
  fromPlainLinks,
  toPlainHeadings,
  toPlainLinks,
  type PlainHeadings,
  type PlainLinks,
} from './plainForms.js';
import { checkRedirects, type RedirectSource } from './redirects.js';
import { nextPublicationChange, publicationState, type PublicationState } from './publication.js';
import { pageFrontMatterSchema, siteSettingsSchema, SLUG, type PageFrontMatter, type SiteSettings } from './schema.js';
import { silentChangeWarnings } from './silentChanges.js';
import { validateYaml } from './validate.js';
import { parseYaml } from './yaml.js';
import type { ContentEntry, ContentFolder } from './readContentFolder.js';

export const SETTINGS_FILE = 'site.yml';
/**
 * Limits on a file's size, so that the work one file can cause is bounded:
 * every step is linear, and these bound the line. A long report as one page
 * is a few hundred kilobytes; the settings are a few.
 */
export const MAX_PAGE_BYTES = 512 * 1024;
export const MAX_SETTINGS_BYTES = 64 * 1024;
const SPECIAL_PAGES: Record<string, PageRole> = { '404.md': 'notFound', '500.md': 'serverError' };

export interface BuildResult {
  /** The site settings, when site.yml is valid (even if pages have errors). */
  settings: SiteSettings | null;
  /** The public view: published pages only. Null when the content has errors. */
  site: SiteModel | null;
  /**
   * The preview view of the same version: drafts, scheduled and expired pages
   * too. Null when the content has errors, except errors only about the public
   * site (see Diagnostic.scope), which the preview shows past.
   */
  preview: SiteModel | null;
  /**
   * When the preview has errors: the preview view without the pages at these addresses (those the errors are
   * in), so that a preview with no earlier version can still show every other page. Absent when there is no
   * settings file or no "page not found" page to show it with.
   */
  previewWithout?: (urls: ReadonlySet<string>) => SiteModel;
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
  /** Parsed pages kept between builds: only changed files are parsed again. */
  cache?: ParsedPageCache;
  /** Document file facts kept between builds: only changed files are read through again. */
  fileFacts?: FileFactsStore;
  /** Image facts kept between builds, likewise. */
  imageFacts?: ImageFactsStore;
  /** The settings and writing checks kept between builds, likewise. */
  settingsMemo?: SettingsMemo;
  /** The cross-page work kept between builds, reused after an edit to pages' bodies only. */
  crossPage?: CrossPageMemo;
  /**
   * Advice on the writing (long sentences, plain English), for the tools writers use: npm run check and the preview.
   */
  writingAdvice?: boolean;
}

/** A build with nothing in it, for a content folder that could not be read. */
export function failedBuild(diagnostics: Diagnostic[]): BuildResult {
  return { settings: null, site: null, preview: null, diagnostics, sourcePages: [], nextChangeAt: null };
}

export function buildSite(folder: ContentFolder, options: BuildOptions = {}): BuildResult {
  const plan = planBuild(folder, options);
  const tools = parseTools(plan.context);
  return completeBuild(
    plan,
    settlePages(
      plan,
      plan.jobs.map((job) => parsePageJob(job, plan.context, tools)),
    ),
  );
}

/**
 * Work a build hands to other threads: parsing pages and working out file
 * facts, in and out as plain data (see src/parallel/). The same functions
 * run in-thread in buildSite.
 */
export interface BuildWorkers {
  parsePages(jobs: readonly PageJob[], context: PageParseContext): Promise<PageJobResult<PlainParsedPage>[]>;
  fileFacts(jobs: readonly FileFactsJob[]): Promise<FileFactsJobResult[]>;
}

/**
 * buildSite with the parsing of pages and document files done by workers:
 * the calling thread only reads the cache, assembles and checks the site.
 */
export async function buildSiteWith(
  workers: BuildWorkers,
  folder: ContentFolder,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const plan = planBuild(folder, options);
  const results = await workers.parsePages(plan.jobs, plan.context);
  const pages = settlePages(
    plan,
    results.map((r) => ({ digest: r.digest, parsed: r.parsed && fromPlainParsed(r.parsed) })),
  );
  // Document files' facts (checksums, page counts, CSV tables) are worked out there too, before the library needs them.
  const factsJobs: FileFactsJob[] = [];
  const factsKeys: string[] = [];
  for (const entry of plan.factsCandidates(pages)) {
    const found = plan.fileFacts.lookup(entry.path, entry.bytes, entry.kind);
    if ('value' in found) continue;
    factsJobs.push({ path: entry.path, bytes: entry.bytes, kind: entry.kind, knownDigest: found.knownDigest });
    factsKeys.push(entry.kind);
  }
  if (factsJobs.length > 0) {
    const facts = await workers.fileFacts(factsJobs);
    facts.forEach((r, i) => {
      const job = factsJobs[i]!;
      plan.fileFacts.settle(job.path, job.bytes, factsKeys[i]!, r.digest, () => {
        if (!r.facts) throw new Error(`no file facts came back for ${job.path}`);
        return r.facts;
      });
    });
  }
  return completeBuild(plan, pages);
}

/** A page file to parse, as it crosses to another thread. */
export interface PageJob {
  path: string;
  bytes: Buffer;
  /** The digest of the bytes parsed last time: when the bytes still have it, the page is not parsed again. */
  knownDigest: Buffer | null;
  /** Whether to hash the bytes (when a cache will keep the result). */
  hash: boolean;
}

/** What every page of one build is parsed against: plain data. */
export interface PageParseContext {
  settings: SiteSettings | null;
  checks: { maxSentenceWords: number | null; wordList: PageCheckOptions['wordList']; key: string };
}

/** A parsed page, or null when the bytes had the known digest (unchanged). */
export interface PageJobResult<P> {
  digest: Buffer | null;
  parsed: P | null;
}

/** A ParsedPage as plain data: source positions as a list, headings and links in columns (plainForms.ts). */
export interface PlainParsedPage {
  page:
    | (Omit<Page, 'positions' | 'headings' | 'links'> & {
        positions: PlainPositions;
        headings: PlainHeadings;
        links: PlainLinks;
      })
    | null;
  diagnostics: Diagnostic[];
  /** A page whose front matter has errors, with its headings and links (plain objects, cloned as they are). */
  invalid?: InvalidPage;
  document?: { id: string; frontMatter: DocumentFrontMatter };
}

export interface FileFactsJob {
  path: string;
  bytes: Buffer;
  kind: FileKind;
  knownDigest: Buffer | null;
}

export interface FileFactsJobResult {
  digest: Buffer;
  /** Null when the bytes had the known digest. */
  facts: FileFacts | null;
}

/** The tools a thread parses pages with, made once per context. */
export interface ParseTools {
  md: ReturnType<typeof createMarkdown>;
  checks: PageCheckOptions;
}

export function parseTools(context: PageParseContext): ParseTools {
  const { maxSentenceWords, wordList, key } = context.checks;
  return {
    md: createMarkdown(),
    checks: {
      maxSentenceWords,
      wordList,
      key,
      parser: maxSentenceWords === null && wordList === null ? null : createBlockParser(),
    },
  };
}

/** Parses one page file, unless its bytes are those parsed last time. */
export function parsePageJob(job: PageJob, context: PageParseContext, tools: ParseTools): PageJobResult<ParsedPage> {
  const digest = job.hash || job.knownDigest ? sha256(job.bytes) : null;
  if (digest && job.knownDigest && digest.equals(job.knownDigest)) return { digest, parsed: null };
  const entry: ContentEntry = { path: job.path, kind: 'file', bytes: job.bytes };
  return { digest, parsed: loadPage(entry, context.settings, tools.md, tools.checks) };
}

/** Works out one document file's facts, unless its bytes are those seen last time. */
export function fileFactsJob(job: FileFactsJob): FileFactsJobResult {
  const digest = sha256(job.bytes);
  if (job.knownDigest && digest.equals(job.knownDigest)) return { digest, facts: null };
  return { digest, facts: fileFacts(job.bytes, job.kind, digest) };
}

export function toPlainParsed(parsed: ParsedPage): PlainParsedPage {
  return {
    page: parsed.page && {
      ...parsed.page,
      positions: parsed.page.positions.toPlain(),
      headings: toPlainHeadings(parsed.page.headings),
      links: toPlainLinks(parsed.page.links),
    },
    diagnostics: parsed.diagnostics,
    ...(parsed.invalid ? { invalid: parsed.invalid } : {}),
    ...(parsed.document ? { document: { id: parsed.document.id, frontMatter: parsed.document.frontMatter } } : {}),
  };
}

export function fromPlainParsed(plain: PlainParsedPage): ParsedPage {
  const page: Page | null = plain.page && {
    ...plain.page,
    positions: SourcePositions.fromPlain(plain.page.positions),
    headings: fromPlainHeadings(plain.page.headings),
    links: fromPlainLinks(plain.page.links),
  };
  return {
    page,
    diagnostics: plain.diagnostics,
    ...(plain.invalid ? { invalid: plain.invalid } : {}),
    ...(plain.document && page ? { document: { page, ...plain.document } } : {}),
  };
}

interface BuildPlan {
  folder: ContentFolder;
  now: number;
  diagnostics: Diagnostic[];
  loadedSettings: { settings: SiteSettings; positions: SourcePositions } | null;
  settings: SiteSettings | null;
  context: PageParseContext;
  cache: ParsedPageCache | undefined;
  settingsKey: string;
  /** Page files to parse: those the cache did not hand back at once. */
  jobs: PageJob[];
  /** Parsed pages the cache handed back at once, by path. */
  cached: Map<string, ParsedPage>;
  fileFacts: FileFactsStore;
  imageFacts: ImageFactsStore | undefined;
  crossPage: CrossPageMemo | undefined;
  /** Document files whose facts the library will ask for. */
  factsCandidates(pages: ParsedPages): { path: string; bytes: Buffer; kind: FileKind }[];
}

/** Everything before parsing: the settings, the checks, and which page files need parsing. */
function planBuild(folder: ContentFolder, options: BuildOptions): BuildPlan {
  const now = options.now ?? Date.now();
  const diagnostics: Diagnostic[] = [];
  const prepared = (options.settingsMemo ?? new SettingsMemo()).get(folder.entries, options.writingAdvice === true);
  const { loadedSettings, checks } = prepared;
  const settings = loadedSettings?.settings ?? null;
  diagnostics.push(...prepared.diagnostics);

  for (const entry of folder.entries) {
    if (entry.kind === 'symlink') {
      diagnostics.push(
        diagnostic(
          entry.path,
          'symbolic links are not allowed in the content folder: replace the link with the real file',
        ),
      );
    } else if (entry.kind === 'other') {
      diagnostics.push(diagnostic(entry.path, 'this is not a regular file: remove it from the content folder'));
    }
  }

  const settingsKey = JSON.stringify(settings) + checks.options.key;
  const cache = options.cache;
  cache?.beginBuild();
  const jobs: PageJob[] = [];
  const cached = new Map<string, ParsedPage>();
  for (const entry of folder.entries) {
    if (entry.kind !== 'file' || !entry.path.endsWith('.md')) continue;
    const bytes = entry.bytes ?? Buffer.alloc(0);
    const found = cache?.lookup(entry.path, bytes, settingsKey);
    if (found && 'value' in found) cached.set(entry.path, found.value);
    else jobs.push({ path: entry.path, bytes, knownDigest: found?.knownDigest ?? null, hash: cache !== undefined });
  }
  const fileFactsStore = options.fileFacts ?? new FileFactsCache();
  fileFactsStore.beginBuild();
  const { maxSentenceWords, wordList, key } = checks.options;
  return {
    folder,
    now,
    diagnostics,
    loadedSettings,
    settings,
    context: { settings, checks: { maxSentenceWords, wordList, key } },
    cache,
    settingsKey,
    jobs,
    cached,
    fileFacts: fileFactsStore,
    imageFacts: options.imageFacts,
    crossPage: options.crossPage,
    factsCandidates: (pages) => {
      const byPath = new Map(folder.entries.map((e) => [e.path, e]));
      const found: { path: string; bytes: Buffer; kind: FileKind }[] = [];
      for (const parsed of pages.parsed) {
        if (!parsed.document) continue;
        for (const declared of parsed.document.frontMatter.files) {
          const path = `${DOCUMENTS_FOLDER}/${parsed.document.id}/${declared.file}`;
          const entry = byPath.get(path);
          const kind = kindFromName(declared.file);
          if (entry?.kind !== 'file' || !entry.bytes || !kind) continue;
          if (entry.bytes.length === 0 || entry.bytes.length > MAX_DOCUMENT_FILE_BYTES) continue;
          found.push({ path, bytes: entry.bytes, kind });
        }
      }
      return found;
    },
  };
}

interface PreparedSettings {
  loadedSettings: { settings: SiteSettings; positions: SourcePositions } | null;
  checks: ReturnType<typeof prepareContentChecks>;
  /** The settings' and the word list's problems. */
  diagnostics: Diagnostic[];
}

/**
 * The site settings and the writing checks, as worked out from site.yml and the word list, kept by the loader
 * between builds: they change rarely, and parsing and validating them again cost milliseconds of every reload.
 * Kept while those files' bytes and the writing advice are the same.
 */
export class SettingsMemo {
  private last: {
    settings: Buffer | undefined;
    words: Buffer | undefined;
    writingAdvice: boolean;
    value: PreparedSettings;
  } | null = null;

  get(entries: readonly ContentEntry[], writingAdvice: boolean): PreparedSettings {
    const bytesOf = (name: string) => entries.find((e) => e.path === name && e.kind === 'file')?.bytes;
    const settingsBytes = bytesOf(SETTINGS_FILE);
    const words = bytesOf(WORD_LIST_FILE);
    const same = (a: Buffer | undefined, b: Buffer | undefined) =>
      a === b || (a !== undefined && b !== undefined && a.equals(b));
    const last = this.last;
    if (last && last.writingAdvice === writingAdvice && same(last.settings, settingsBytes) && same(last.words, words))
      return last.value;
    const diagnostics: Diagnostic[] = [];
    const loadedSettings = loadSettings(entries, diagnostics);
    const checks = prepareContentChecks(entries, loadedSettings?.settings ?? null, SETTINGS_FILE, writingAdvice);
    diagnostics.push(...checks.diagnostics);
    const value = { loadedSettings, checks, diagnostics };
    this.last = { settings: settingsBytes, words, writingAdvice, value };
    return value;
  }
}

/** Puts the parse results (in the order of the plan's jobs) with the cached pages, in the folder's order. */
function settlePages(plan: BuildPlan, results: readonly PageJobResult<ParsedPage>[]): ParsedPages {
  const byPath = new Map(plan.cached);
  plan.jobs.forEach((job, i) => {
    const result = results[i];
    if (!result) throw new Error(`no parse result came back for ${job.path}`);
    const made = (): ParsedPage => {
      if (!result.parsed) throw new Error(`${job.path} was not parsed`);
      return result.parsed;
    };
    byPath.set(
      job.path,
      plan.cache && result.digest
        ? plan.cache.settle(job.path, job.bytes, plan.settingsKey, result.digest, made)
        : made(),
    );
  });
  plan.cache?.endBuild();
  const all: Page[] = [];
  const parsed: ParsedPage[] = [];
  const invalidUrls = new Set<string>();
  const invalid: InvalidPage[] = [];
  for (const entry of plan.folder.entries) {
    const loaded = byPath.get(entry.path);
    if (!loaded || entry.kind !== 'file') continue;
    plan.diagnostics.push(...loaded.diagnostics);
    if (!loaded.page) {
      const url = urlForSource(entry.path, []);
      if (url !== null) invalidUrls.add(url);
      if (loaded.invalid) invalid.push(loaded.invalid);
      continue;
    }
    all.push(loaded.page);
    parsed.push(loaded);
  }
  all.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return { all, parsed, invalidUrls, invalid };
}

/** Everything after parsing: the views, links, documents, navigation and every cross-page check. */
function completeBuild(plan: BuildPlan, pages: ParsedPages): BuildResult {
  const { folder, now, diagnostics, settings } = plan;
  const input: CrossPageInput = {
    settingsKey: plan.settingsKey,
    root: folder.root,
    entries: folder.entries,
    pages: pages.all,
    invalid: pages.invalid,
    invalidUrls: pages.invalidUrls,
    now,
  };
  const reusable = plan.crossPage?.reusable(input);
  const cross = reusable ? crossPageAfterEdit(pages, reusable.earlier, reusable.changed) : crossPageWork(plan, pages);
  plan.crossPage?.keep(input, cross);
  diagnostics.push(...cross.before);
  for (const holder of cross.linkHolders) {
    const found = cross.links.get(holder);
    if (found) diagnostics.push(...found);
  }
  diagnostics.push(...cross.after);
  const { states, byUrl, published, notFoundPage, serverErrorPage, library, images, redirects, nextChangeAt } = cross;
  const previewNavigation = cross.previewNavigation;
  const sorted = sortDiagnostics(diagnostics);
  const sourcePages = pages.all.map((page) => ({ page, state: states.get(page)! }));
  if (!settings) return { settings, site: null, preview: null, diagnostics: sorted, sourcePages, nextChangeAt };
  const view = (
    routable: ReadonlyMap<string, Page>,
    navigation: SiteModel['navigation'],
    lib: Library,
    shown: Pick<SiteModel, 'images' | 'redirects'>,
  ): SiteModel => ({
    settings,
    pages: routable,
    notFoundPage,
    serverErrorPage,
    navigation,
    library: lib,
    ...shown,
  });
  if (hasPreviewErrors(sorted)) {
    const previewWithout = (urls: ReadonlySet<string>): SiteModel => {
      const kept = new Map([...byUrl].filter(([url]) => !urls.has(url)));
      return view(kept, buildNavigation([...kept.values()], []), publishedLibrary(library, kept), {
        images: images.all,
        redirects: redirects.all,
      });
    };
    return {
      settings,
      site: null,
      preview: null,
      ...(notFoundPage ? { previewWithout } : {}),
      diagnostics: sorted,
      sourcePages,
      nextChangeAt,
    };
  }
  return {
    settings,
    site: hasErrors(sorted)
      ? null
      : view(published, cross.publicNavigation.get(), publishedLibrary(library, published), {
          images: images.published,
          redirects: redirects.published,
        }),
    preview: view(byUrl, previewNavigation, library, { images: images.all, redirects: redirects.all }),
    diagnostics: sorted,
    sourcePages,
    nextChangeAt,
  };
}

/** The cross-page work of a build, all of it. */
function crossPageWork(plan: BuildPlan, pages: ParsedPages): CrossPage {
  const { folder, now, loadedSettings } = plan;
  const diagnostics: Diagnostic[] = [];
  const documentPages = new Map<Page, DocumentPageSource>();
  for (const parsed of pages.parsed) if (parsed.document) documentPages.set(parsed.document.page, parsed.document);

  const states = publicationStates(pages.all, now);
  // Every routable page in any state: the preview's pages. The public view is the published ones.
  const byUrl = new Map<string, Page>();
  let notFoundPage: Page | undefined;
  let serverErrorPage: Page | undefined;
  for (const page of pages.all) {
    if (page.role === 'notFound') notFoundPage = page;
    else if (page.role === 'serverError') serverErrorPage = page;
    else {
      const existing = byUrl.get(page.url);
      if (existing) {
        diagnostics.push(
          diagnostic(
            page.source,
            `this page has the same web address (${page.url}) as ${existing.source}: rename or remove one of them`,
          ),
        );
      } else {
        byUrl.set(page.url, page);
      }
    }
  }
  const published = new Map([...byUrl].filter(([, page]) => states.get(page) === 'published'));
  if (!folder.entries.some((e) => e.path === 'index.md')) {
    diagnostics.push(
      diagnostic('index.md', 'the site has no home page: add index.md at the top of the content folder'),
    );
  }
  if (!folder.entries.some((e) => e.path === '404.md')) {
    diagnostics.push(
      diagnostic('404.md', 'the site has no "page not found" page: add 404.md at the top of the content folder'),
    );
  }

  // Documents whose page is routable in any state; the public library keeps the published ones.
  const routableDocuments = [...documentPages.values()].filter((d) => byUrl.get(d.page.url) === d.page);
  const library = buildLibrary(
    {
      documentPages: routableDocuments,
      citingPages: pages.all,
      entries: folder.entries,
      root: folder.root,
      fileFacts: plan.fileFacts,
    },
    diagnostics,
  );
  plan.fileFacts.endBuild();
  checkCitedDocuments(pages.all, states, library, diagnostics);
  const images = checkImages(
    { entries: folder.entries, pages: pages.all, states, ...(plan.imageFacts ? { facts: plan.imageFacts } : {}) },
    diagnostics,
  );
  const redirects = checkRedirects(
    { pages: pages.all, states, byUrl, library, settings: settingsRedirects(loadedSettings) },
    diagnostics,
  );
  const specialPages = [notFoundPage, serverErrorPage].filter((p): p is Page => p !== undefined);
  const linkStates = new Map<LinkHolder, PublicationState>(states);
  for (const invalid of pages.invalid) linkStates.set(invalid, invalid.draft ? 'draft' : 'published');
  const before = diagnostics.splice(0);
  const linkHolders = [...byUrl.values(), ...specialPages, ...pages.invalid];
  const links = new Map<LinkHolder, Diagnostic[]>();
  checkLinks(
    { pages: linkHolders, states: linkStates, byUrl, invalidPageUrls: pages.invalidUrls, redirects: redirects.all },
    [],
    links,
  );
  if (loadedSettings) {
    const footer = loadedSettings.settings.footerLinks.map((link, i) => ({
      href: link.href,
      at: loadedSettings.positions.at(['footerLinks', i, 'href']),
    }));
    checkSettingsLinks(SETTINGS_FILE, footer, published, byUrl, diagnostics, pages.invalidUrls, redirects.all);
  }
  checkBrowserTitles(pages.all, diagnostics);

  // The preview's navigation reports folders without an index.md; the public one is a subset.
  const previewNavigation = buildNavigation([...byUrl.values()], diagnostics);
  const nextChangeAt = nextPublicationChange(
    pages.all.filter((p) => p.role === 'page').map((p) => p.frontMatter),
    now,
  );
  return {
    states,
    byUrl,
    published,
    notFoundPage,
    serverErrorPage,
    library,
    images,
    redirects,
    previewNavigation,
    publicNavigation: new Lazy(() => buildNavigation([...published.values()], [])),
    nextChangeAt,
    before,
    links,
    linkHolders,
    after: diagnostics,
  };
}

/**
 * The cross-page work after an edit that changed pages' bodies only (see crossPageReuse.ts): the earlier build's,
 * with the changed pages in place of the earlier ones and their links checked again.
 */
function crossPageAfterEdit(pages: ParsedPages, earlier: CrossPage, changed: ChangedPages): CrossPage {
  const states = new Map(earlier.states);
  const byUrl = new Map(earlier.byUrl);
  const published = new Map(earlier.published);
  const changedByUrl = new Map<string, Page>();
  const changedPublished = new Map<string, Page>();
  for (const [old, page] of changed) {
    states.delete(old);
    states.set(page, earlier.states.get(old)!);
    byUrl.set(page.url, page);
    changedByUrl.set(page.url, page);
    if (published.get(page.url) === old) {
      published.set(page.url, page);
      changedPublished.set(page.url, page);
    }
  }
  const fresh = new Map<LinkHolder, Diagnostic[]>();
  checkLinks(
    {
      pages: [...changed.values()],
      states,
      byUrl,
      invalidPageUrls: pages.invalidUrls,
      redirects: earlier.redirects.all,
    },
    [],
    fresh,
  );
  const links = new Map(earlier.links);
  for (const [old, page] of changed) {
    links.delete(old);
    const found = fresh.get(page);
    if (found) links.set(page, found);
  }
  const earlierPublic = earlier.publicNavigation.made;
  return {
    ...earlier,
    states,
    byUrl,
    published,
    previewNavigation: withChangedPages(earlier.previewNavigation, changedByUrl),
    publicNavigation: new Lazy(() =>
      earlierPublic ? withChangedPages(earlierPublic, changedPublished) : buildNavigation([...published.values()], []),
    ),
    links,
    linkHolders: earlier.linkHolders.map((holder) => changed.get(holder as Page) ?? holder),
  };
}

interface ParsedPages {
  /** Every page that parsed, sorted by URL. */
  all: Page[];
  parsed: ParsedPage[];
  /** Addresses of pages that failed validation: they still exist, so links to them are not reported too. */
  invalidUrls: Set<string>;
  /** Pages whose front matter has errors, with their links. */
  invalid: InvalidPage[];
}

/** The redirects site.yml lists, with their place in it. */
function settingsRedirects(loaded: { settings: SiteSettings; positions: SourcePositions } | null): RedirectSource[] {
  return (loaded?.settings.redirects ?? []).map((r, i) => ({
    from: r.from,
    to: r.to,
    file: SETTINGS_FILE,
    at: loaded!.positions.at(['redirects', i, 'from']),
  }));
}

/** The library as a view has it: only documents whose page the view has (for the public site, published). */
function publishedLibrary(library: Library, published: ReadonlyMap<string, Page>): Library {
  const documents = new Map([...library.documents].filter(([, d]) => published.has(d.url)));
  if (documents.size === library.documents.size) return library;
  const downloads = new Map<string, DocumentFile>();
  for (const document of documents.values())
    for (const file of document.files) downloads.set(`${document.url}${file.name}`, file);
  return { documents, downloads };
}

/** A page visitors see (now or by itself later) must not show a document they cannot see. */
function checkCitedDocuments(
  pages: readonly Page[],
  states: ReadonlyMap<Page, PublicationState>,
  library: Library,
  diagnostics: Diagnostic[],
): void {
  const stateOfDocument = new Map<string, PublicationState>();
  for (const page of pages) if (page.documentId !== undefined) stateOfDocument.set(page.documentId, states.get(page)!);
  for (const page of pages) {
    const holder = states.get(page);
    if (page.role === 'page' && holder !== 'published' && holder !== 'scheduled') continue;
    (page.frontMatter.documents ?? []).forEach((id, index) => {
      const state = stateOfDocument.get(id);
      if (!library.documents.has(id) || state === undefined || state === 'published') return;
      const at = page.positions.at(['documents', index]);
      if (state === 'draft') {
        const message =
          `the document "${id}" is a draft: publish its page (delete its "draft: ` +
          `true" line) or remove it from this list`;
        diagnostics.push(publicOnly(diagnostic(page.source, message, at)));
      } else
        diagnostics.push(
          diagnostic(
            page.source,
            `the document "${id}" ` +
              `${state === 'scheduled' ? 'is not published yet' : 'has expired'}: ` +
              `visitors do not see it on this page meanwhile`,
            at,
            'warning',
          ),
        );
    });
  }
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

function loadSettings(
  entries: readonly ContentEntry[],
  diagnostics: Diagnostic[],
): { settings: SiteSettings; positions: SourcePositions } | null {
  const entry = entries.find((e) => e.path === SETTINGS_FILE && e.kind === 'file');
  if (!entry?.bytes) {
    diagnostics.push(
      diagnostic(
        SETTINGS_FILE,
        `the site settings file is missing: add ${SETTINGS_FILE} at the top of the content folder`,
      ),
    );
    return null;
  }
  if (entry.bytes.length > MAX_SETTINGS_BYTES) {
    diagnostics.push(
      diagnostic(
        SETTINGS_FILE,
        `the site settings file is larger than ${MAX_SETTINGS_BYTES / 1024} KB: it holds settings and labels only`,
      ),
    );
    return null;
  }
  const parsed = parseYaml(decodeText(entry.bytes));
  if (!parsed.ok) {
    for (const p of parsed.problems) diagnostics.push(diagnostic(SETTINGS_FILE, p.message, p));
    return null;
  }
  const result = validateYaml(siteSettingsSchema, parsed.value, SETTINGS_FILE);
  if (!result.ok) {
    diagnostics.push(
      ...result.diagnostics.map((d) => ({ ...d, message: d.message.replace(/^the front matter/, 'the settings') })),
    );
    return null;
  }
  return { settings: result.value, positions: parsed.value.positions };
}

/** Parses one page. Its diagnostics travel with it, so a cached page reports them again. */
function loadPage(
  entry: ContentEntry,
  settings: SiteSettings | null,
  md: ReturnType<typeof createMarkdown>,
  checks: PageCheckOptions,
): ParsedPage {
  const diagnostics: Diagnostic[] = [];
  const fail = (): ParsedPage => ({ page: null, diagnostics });
  const file = entry.path;
  const documentId = documentIdForSource(file);
  const role = SPECIAL_PAGES[file] ?? 'page';
  const url = role === 'page' ? urlForSource(file, diagnostics) : `/${file.replace(/\.md$/, '')}/`;
  if ((entry.bytes?.length ?? 0) > MAX_PAGE_BYTES) {
    diagnostics.push(
      diagnostic(file, `the page is larger than ${MAX_PAGE_BYTES / 1024} KB: split it into several pages`),
    );
    return fail();
  }
  const text = decodeText(entry.bytes ?? Buffer.alloc(0));
  const split = splitFrontMatter(text);
  /**
   * The body's own problems (links, headings, placeholders, the writing), reported even when the front matter
   * has errors, so that one round of fixes is enough.
   */
  const checkBody = (source: PageSource) => {
    const rendered = renderMarkdown(
      md,
      source.body,
      source.bodyLineOffset,
      settings ? placeholderValues(settings) : {},
    );
    if (settings) diagnostics.push(...unknownPlaceholderDiagnostics(file, rendered.unknownPlaceholders));
    checkHeadings(file, rendered.headings, diagnostics);
    diagnostics.push(...silentChangeWarnings(file, rendered));
    diagnostics.push(...checkPage(file, source, checks));
    return rendered;
  };
  /** A page whose front matter has errors still has its body checked, links included. */
  const failWithBody = (source: PageSource): ParsedPage => {
    const rendered = checkBody(source);
    if (url === null) return fail();
    const data = source.frontMatter.data as { draft?: unknown } | null;
    const holder = { role, url };
    return {
      page: null,
      diagnostics,
      invalid: {
        source: file,
        role,
        headings: rendered.headings,
        links: resolveLinks(rendered.links, holder),
        draft: typeof data === 'object' && data !== null && data.draft === true,
      },
    };
  };
  if (!split.ok) {
    for (const p of split.problems) diagnostics.push(diagnostic(file, p.message, p));
    if (!split.body) return fail();
    const unread = { data: {}, positions: SourcePositions.none() };
    return failWithBody({
      text: normaliseText(text),
      frontMatter: unread,
      body: split.body.text,
      bodyLineOffset: split.body.lineOffset,
    });
  }
  const { frontMatter, body, bodyLineOffset } = split.value;
  const source: PageSource = { text: normaliseText(text), frontMatter, body, bodyLineOffset };
  // A document's page has its own front matter (summary, category, files).
  let pageFrontMatter: PageFrontMatter;
  let documentFrontMatter: DocumentFrontMatter | null = null;
  if (documentId === null) {
    const validated = validateYaml(pageFrontMatterSchema, frontMatter, file);
    if (!validated.ok) {
      diagnostics.push(...validated.diagnostics);
      return failWithBody(source);
    }
    pageFrontMatter = validated.value;
  } else {
    const validated = validateYaml(documentFrontMatterSchema, frontMatter, file);
    if (!validated.ok) {
      diagnostics.push(...validated.diagnostics);
      return failWithBody(source);
    }
    documentFrontMatter = validated.value;
    pageFrontMatter = documentPageFrontMatter(documentFrontMatter);
  }
  if (!settings || url === null) return fail();
  const rendered = checkBody(source);
  if (documentFrontMatter?.originalDate && !settings.labels.documents.originalDate) {
    diagnostics.push(
      diagnostic(
        file,
        `the site settings have no label to show "originalDate" with: add ` +
          `"originalDate" under labels.documents in ${SETTINGS_FILE}, for example ` +
          `"Original document: {date}"`,
        frontMatter.positions.at(['originalDate']),
      ),
    );
  }
  const page: Page = {
    source: file,
    url,
    role,
    frontMatter: pageFrontMatter,
    positions: frontMatter.positions,
    bodyHtml: rendered.html,
    headings: rendered.headings,
    links: resolveLinks(rendered.links, { role, url }),
    images: pageImages(file, rendered.images),
    ...(documentId !== null && documentFrontMatter ? { documentId, document: documentFrontMatter } : {}),
  };
  return {
    page,
    diagnostics,
    ...(documentId !== null && documentFrontMatter
      ? { document: { page, id: documentId, frontMatter: documentFrontMatter } }
      : {}),
  };
}

/** Top-level addresses the site itself uses: the editor, the fingerprinted assets, the search and the A to Z list. */
export const RESERVED_SECTIONS: ReadonlySet<string> = new Set(['edit', 'assets', 'search', 'a-z']);

/** content/work-streams/kpi.md → /work-streams/kpi/; index.md stands for its folder. */
export function urlForSource(file: string, diagnostics: Diagnostic[]): string | null {
  const segments = file.replace(/\.md$/, '').split('/');
  if (segments[segments.length - 1] === 'index') segments.pop();
  if (segments.length > 0 && RESERVED_SECTIONS.has(segments[0]!)) {
    diagnostics.push(
      diagnostic(
        file,
        `the web address /${segments[0]}/ is used by the site itself: choose ` +
          `another name for this ${segments.length > 1 ? 'folder' : 'page'}`,
      ),
    );
    return null;
  }
  for (const segment of segments) {
    if (!SLUG.test(segment)) {
      diagnostics.push(
        diagnostic(
          file,
          `"${segment}" cannot be part of a web address: rename it using lowercase ` +
            `letters, digits and hyphens (for example "${suggestSlug(segment)}")`,
        ),
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

function checkHeadings(
  file: string,
  headings: readonly { level: number; line: number }[],
  diagnostics: Diagnostic[],
): void {
  let previous = 1;
  for (const h of headings) {
    if (h.level === 1) {
      diagnostics.push(
        diagnostic(
          file,
          'the page title is already the main heading: start body headings at "##"',
          { line: h.line },
          'warning',
        ),
      );
    } else if (h.level > previous + 1) {
      diagnostics.push(
        diagnostic(
          file,
          `heading level ${h.level} follows level ${previous}: do not skip heading levels`,
          { line: h.line },
          'warning',
        ),
      );
    }
    previous = h.level;
  }
}

function decodeText(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
