/**
 * The one content loader, used by every command (start, dev, check, build,
 * the PDF generator) and by the live site's reloads: reads the content
 * folder through a source, then builds one content version from it.
 *
 * A loader kept between loads remembers what it read, what it parsed and
 * what it worked out from document files (checksums, page counts, CSV
 * tables), so a reload after one edit reads and parses that file alone.
 */
import {
  buildSite,
  buildSiteWith,
  failedBuild,
  SettingsMemo,
  type BuildResult,
  type BuildWorkers,
} from './buildSite.js';
import { CrossPageMemo } from './crossPageReuse.js';
import { diagnostic } from './diagnostics.js';
import { FileFactsCache } from './fileFacts.js';
import { ImageFactsCache } from './imageFiles.js';
import { ImageVariantCache } from './imageVariants.js';
import { PageCache } from './pageCache.js';
import {
  ContentFolderError,
  readContentFolder,
  readContentPaths,
  type ContentEntry,
  type ContentFolder,
} from './readContentFolder.js';

/** Where content is read from: a folder on disk, or a content store in front of one. */
export interface ContentSource {
  readonly root: string;
  readAll(): Promise<ContentFolder>;
  /** What is now at these paths (a file, or a whole folder); nothing for a path that is gone. */
  readPaths(paths: readonly string[]): Promise<ContentEntry[]>;
}

export function folderSource(root: string): ContentSource {
  return {
    root,
    readAll: () => readContentFolder(root),
    readPaths: (paths) => readContentPaths(root, paths),
  };
}

export interface LoadedContent {
  /** The files the version was built from; null when the folder could not be read. */
  folder: ContentFolder | null;
  build: BuildResult;
  /** Milliseconds spent reading files and building the version. */
  timings: { readMs: number; buildMs: number };
}

/** 'all' reads the whole folder again; a list reads only those paths. */
export type ContentChanges = readonly string[] | 'all';

export interface LoaderOptions {
  /**
   * Advice on the writing (long sentences, plain English): for the tools writers use, npm run check and the preview.
   */
  writingAdvice?: boolean;
  /** Worker threads to parse on, so that the calling thread stays free (see src/parallel/); in-thread without. */
  workers?: BuildWorkers;
}

export class ContentLoader {
  private readonly cache = new PageCache();
  /** Document file facts, kept beside the parsed pages: a reload does not read an unchanged 50 MB file again. */
  private readonly fileFacts = new FileFactsCache();
  private readonly imageFacts = new ImageFactsCache();
  /** Pictures' smaller copies for phones, likewise made once. */
  private readonly imageVariants = new ImageVariantCache();
  private readonly settingsMemo = new SettingsMemo();
  /** What the last load worked out across pages: an edit to one page's body checks that page against it. */
  private readonly crossPage = new CrossPageMemo();
  private entries = new Map<string, ContentEntry>();
  /** The entries' paths in order, kept while no path comes or goes (an edit keeps them: no sort at every reload). */
  private sortedPaths: string[] | null = null;

  constructor(
    readonly source: ContentSource,
    private readonly options: LoaderOptions = {},
  ) {}

  /** Reads what changed, then builds the whole version (only changed files are parsed again). */
  async load(changes: ContentChanges, now: number): Promise<LoadedContent> {
    const started = performance.now();
    try {
      await this.refresh(changes);
    } catch (error) {
      if (error instanceof ContentFolderError) {
        return {
          folder: null,
          build: failedBuild([diagnostic('.', error.message)]),
          timings: { readMs: performance.now() - started, buildMs: 0 },
        };
      }
      throw error;
    }
    const read = performance.now();
    const folder = this.folder();
    const { workers, ...options } = this.options;
    const buildOptions = {
      now,
      cache: this.cache,
      fileFacts: this.fileFacts,
      imageFacts: this.imageFacts,
      settingsMemo: this.settingsMemo,
      crossPage: this.crossPage,
      ...options,
    };
    const build = await this.imageVariants.apply(
      workers ? await buildSiteWith(workers, folder, buildOptions) : buildSite(folder, buildOptions),
    );
    return { folder, build, timings: { readMs: read - started, buildMs: performance.now() - read } };
  }

  /**
   * The diagnostics a save of `bytes` at `path` would produce, without
   * writing anything or disturbing what is loaded. Only that file is parsed.
   */
  validateEdit(path: string, bytes: Buffer, now: number): BuildResult {
    return this.validateChanges(new Map([[path, bytes]]), now);
  }

  /**
   * The same for several files changed at once (null: the file is removed),
   * such as a document's page and the file uploaded with it, or a page moved.
   */
  validateChanges(changes: ReadonlyMap<string, Buffer | null>, now: number): BuildResult {
    const edited = new Map(this.entries);
    for (const [path, bytes] of changes) {
      if (bytes === null) edited.delete(path);
      else edited.set(path, { path, kind: 'file', bytes, mtimeMs: now });
    }
    return buildSite(sortedFolder(this.source.root, edited), {
      now,
      cache: this.cache.readOnly(),
      fileFacts: this.fileFacts.readOnly(),
      imageFacts: this.imageFacts.readOnly(),
      settingsMemo: this.settingsMemo,
      writingAdvice: this.options.writingAdvice,
    });
  }

  /** A content file's text as last read, for quoting it in error messages. */
  fileText(path: string): string | null {
    const bytes = this.entries.get(path)?.bytes;
    return bytes ? bytes.toString('utf8') : null;
  }

  /** Parse statistics of the last load, for logs and benchmarks. */
  get cacheStats(): { hits: number; misses: number; size: number } {
    return { hits: this.cache.hits, misses: this.cache.misses, size: this.cache.size };
  }

  /** File-facts statistics of the last load, likewise. */
  get fileFactsStats(): { hits: number; misses: number; size: number } {
    return { hits: this.fileFacts.hits, misses: this.fileFacts.misses, size: this.fileFacts.size };
  }

  private folder(): ContentFolder {
    if (this.sortedPaths)
      return { root: this.source.root, entries: this.sortedPaths.map((path) => this.entries.get(path)!) };
    const folder = sortedFolder(this.source.root, this.entries);
    this.sortedPaths = folder.entries.map((e) => e.path);
    return folder;
  }

  private async refresh(changes: ContentChanges): Promise<void> {
    if (changes === 'all') {
      const folder = await this.source.readAll();
      this.entries = new Map(folder.entries.map((e) => [e.path, e]));
      this.sortedPaths = null;
      return;
    }
    if (changes.length === 0) return;
    const fresh = await this.source.readPaths(changes);
    // A changed path may have been a folder: forget everything under it, then add what is there now.
    const changed = new Set(changes);
    const gone = new Set<string>();
    for (const existing of [...this.entries.keys()]) {
      if (changed.has(existing) || isUnderAny(existing, changed)) {
        this.entries.delete(existing);
        gone.add(existing);
      }
    }
    for (const entry of fresh) this.entries.set(entry.path, entry);
    // By path, not by entry: reading a folder and a file in it yields that file twice.
    const freshPaths = new Set(fresh.map((entry) => entry.path));
    if (freshPaths.size !== gone.size || [...freshPaths].some((p) => !gone.has(p))) this.sortedPaths = null;
  }
}

/** Reads and builds a content folder once: what the one-shot commands need. */
export function loadContent(
  contentDir: string,
  now: number = Date.now(),
  options: LoaderOptions = {},
): Promise<LoadedContent> {
  return new ContentLoader(folderSource(contentDir), options).load('all', now);
}

function sortedFolder(root: string, entries: ReadonlyMap<string, ContentEntry>): ContentFolder {
  return { root, entries: [...entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}

/** True when some ancestor folder of `path` is in `folders`; one set lookup per ancestor. */
function isUnderAny(path: string, folders: ReadonlySet<string>): boolean {
  for (let slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
    if (folders.has(path.slice(0, slash))) return true;
  }
  return false;
}
