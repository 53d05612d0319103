/**
 * The site as it is served while content changes: loads a new version beside
 * the one being served, and swaps them in one assignment only when the new
 * one is valid (its layout rendered; pages render on first request). A request therefore sees the old site or
 * the new one, never a mix; a broken edit leaves the old site serving and
 * marks the content stale until it is fixed.
 *
 * Reloads run one at a time. Changes that arrive during a reload are merged
 * into one follow-up reload. Only the changed files are read again, only
 * changed pages are parsed again (PageCache) and only affected pages lose
 * their rendering, to be rendered again when next asked for (SiteRenderer). Scheduled pages appear and disappear by a
 * timer set for the next publishDate or expiryDate.
 */
import { buildSite } from '../content/buildSite.js';
import { diagnostic, formatDiagnostic, hasErrors, type Diagnostic } from '../content/diagnostics.js';
import { FileFactsCache } from '../content/fileFacts.js';
import { PageCache } from '../content/pageCache.js';
import { ContentFolderError, readContentFolder, readContentPaths, type ContentEntry, type ContentFolder } from '../content/readContentFolder.js';
import type { PreviewOptions } from '../render/renderPage.js';
import type { RenderedSite } from '../render/renderSite.js';
import { SiteRenderer, type RenderStats } from '../render/siteRenderer.js';
import type { Logger } from './logger.js';

/** Time, injectable so that scheduled publishing can be tested without waiting. */
export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** setTimeout cannot wait longer than about 24.8 days; longer waits are taken in steps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, Math.min(Math.max(ms, 0), MAX_TIMER_MS));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface ReloadRequest {
  /** Content paths (relative, forward slashes) that changed, or 'all' to read the whole folder again. */
  content?: readonly string[] | 'all';
  templates?: boolean;
  assets?: boolean;
  reason: string;
}

export interface ReloadOutcome {
  ok: boolean;
  /** Increases with every successful swap. */
  version: number;
  diagnostics: Diagnostic[];
  stats: RenderStats | null;
  /** Milliseconds spent reading, building and rendering. */
  timings: { readMs: number; buildMs: number; renderMs: number };
  reason: string;
}

export interface ContentStatus {
  /** 'current': serving the content on disk; 'stale': the content on disk has errors, an older version is served; 'none': nothing valid loaded yet. */
  state: 'current' | 'stale' | 'none';
  version: number;
  /** When the version served was loaded. */
  loadedAt: number | null;
  /** Problems found by the last attempt (warnings only, when current). */
  diagnostics: Diagnostic[];
}

export interface LiveSiteOptions {
  contentDir: string;
  siteUrl: string;
  logger: Logger;
  /** The editor's preview: drafts and scheduled pages shown, reload script added. */
  preview?: PreviewOptions;
  viewsDir?: string;
  publicDir?: string;
  clock?: Clock;
}

export class LiveSite {
  private readonly options: LiveSiteOptions;
  private readonly clock: Clock;
  private readonly cache = new PageCache();
  private readonly fileFacts = new FileFactsCache();
  private readonly renderer: SiteRenderer;
  private entries = new Map<string, ContentEntry>();
  private served: RenderedSite | null = null;
  private status_: ContentStatus = { state: 'none', version: 0, loadedAt: null, diagnostics: [] };
  private running: Promise<void> | null = null;
  private pending: ReloadRequest | null = null;
  private pendingWaiters: Array<(outcome: ReloadOutcome) => void> = [];
  private cancelScheduleTimer: (() => void) | null = null;
  private listeners = new Set<(outcome: ReloadOutcome) => void>();
  private closed = false;

  constructor(options: LiveSiteOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.renderer = new SiteRenderer({
      siteUrl: options.siteUrl,
      ...(options.viewsDir ? { viewsDir: options.viewsDir } : {}),
      ...(options.publicDir ? { publicDir: options.publicDir } : {}),
      ...(options.preview ? { preview: options.preview } : {}),
    });
  }

  /** The site being served; null until a valid version has loaded. */
  current(): RenderedSite | null {
    return this.served;
  }

  status(): ContentStatus {
    return this.status_;
  }

  /** Bytes of a content file as last read, for quoting it in error messages. */
  fileText(relativePath: string): string | null {
    const bytes = this.entries.get(relativePath)?.bytes;
    return bytes ? bytes.toString('utf8') : null;
  }

  assets() {
    return this.renderer.assets;
  }

  onReload(listener: (outcome: ReloadOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reloads after changes. Resolves when a reload that includes this request
   * has finished (requests made during a reload are merged into the next one).
   */
  reload(request: ReloadRequest = { content: 'all', reason: 'requested' }): Promise<ReloadOutcome> {
    return new Promise((resolve) => {
      this.pending = merge(this.pending, request);
      this.pendingWaiters.push(resolve);
      if (!this.running) this.running = this.drainQueue();
    });
  }

  close(): void {
    this.closed = true;
    this.cancelScheduleTimer?.();
    this.cancelScheduleTimer = null;
    this.listeners.clear();
  }

  private async drainQueue(): Promise<void> {
    while (this.pending) {
      const request = this.pending;
      const waiters = this.pendingWaiters;
      this.pending = null;
      this.pendingWaiters = [];
      let outcome: ReloadOutcome;
      try {
        outcome = await this.reloadOnce(request);
      } catch (error) {
        // Never let a reload failure escape into an event handler: it would kill the process.
        outcome = this.fail(request, [diagnostic('.', `the content could not be reloaded: ${error instanceof Error ? error.message : String(error)}`)], null);
      }
      for (const resolve of waiters) resolve(outcome);
      for (const listener of this.listeners) listener(outcome);
    }
    this.running = null;
  }

  private async reloadOnce(request: ReloadRequest): Promise<ReloadOutcome> {
    const t0 = performance.now();
    try {
      await this.refreshEntries(request.content);
    } catch (error) {
      if (error instanceof ContentFolderError) return this.fail(request, [diagnostic('.', error.message)], null);
      throw error;
    }
    if (request.templates) this.renderer.reloadTemplates();
    if (request.assets) this.renderer.reloadAssets();
    const t1 = performance.now();

    const folder: ContentFolder = { root: this.options.contentDir, entries: [...this.entries.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
    const result = buildSite(folder, { now: this.clock.now(), cache: this.cache, fileFacts: this.fileFacts, ...(this.options.preview ? { preview: true } : {}) });
    this.scheduleNextChange(result.nextChangeAt);
    const t2 = performance.now();
    const timings = { readMs: t1 - t0, buildMs: t2 - t1, renderMs: 0 };
    if (!result.site || hasErrors(result.diagnostics)) return this.fail(request, result.diagnostics, timings);

    let rendered;
    try {
      rendered = this.renderer.render(result.site);
    } catch (error) {
      return this.fail(request, [...result.diagnostics, templateDiagnostic(error)], timings);
    }
    timings.renderMs = performance.now() - t2;
    // The swap: one assignment. Requests in flight keep the object they already hold.
    this.served = rendered.site;
    this.status_ = { state: 'current', version: this.status_.version + 1, loadedAt: this.clock.now(), diagnostics: result.diagnostics };
    this.options.logger.info(
      { reason: request.reason, version: this.status_.version, pages: rendered.site.pages.size, invalidated: rendered.stats.invalidated.length, reused: rendered.stats.reused, ...roundTimings(timings) },
      'content loaded',
    );
    for (const d of result.diagnostics) this.options.logger.warn({ file: d.file, line: d.line, column: d.column }, d.message);
    return { ok: true, version: this.status_.version, diagnostics: result.diagnostics, stats: rendered.stats, timings, reason: request.reason };
  }

  private fail(request: ReloadRequest, diagnostics: Diagnostic[], timings: ReloadOutcome['timings'] | null): ReloadOutcome {
    this.status_ = { ...this.status_, state: this.served ? 'stale' : 'none', diagnostics };
    const errors = diagnostics.filter((d) => d.severity === 'error');
    this.options.logger.error(
      { reason: request.reason, errors: errors.length, servingVersion: this.served ? this.status_.version : null },
      this.served ? 'content has errors: still serving the previous version' : 'content has errors: nothing to serve yet',
    );
    for (const d of diagnostics) {
      const log = d.severity === 'error' ? this.options.logger.error.bind(this.options.logger) : this.options.logger.warn.bind(this.options.logger);
      log({ file: d.file, line: d.line, column: d.column, severity: d.severity, problem: formatDiagnostic(d) }, d.message);
    }
    return { ok: false, version: this.status_.version, diagnostics, stats: null, timings: timings ?? { readMs: 0, buildMs: 0, renderMs: 0 }, reason: request.reason };
  }

  private async refreshEntries(content: ReloadRequest['content']): Promise<void> {
    if (content === undefined) return;
    if (content === 'all') {
      const folder = await readContentFolder(this.options.contentDir);
      this.entries = new Map(folder.entries.map((e) => [e.path, e]));
      return;
    }
    const fresh = await readContentPaths(this.options.contentDir, content);
    const changed = new Set(content);
    // A changed path may have been a folder (deleted or renamed): drop what was
    // below it too, in one pass over the entries rather than one per change.
    for (const existing of this.entries.keys()) {
      for (let end = existing.length; end > 0; end = existing.lastIndexOf('/', end - 1)) {
        if (changed.has(existing.slice(0, end))) {
          this.entries.delete(existing);
          break;
        }
      }
    }
    for (const entry of fresh) this.entries.set(entry.path, entry);
  }

  /** Sets a timer for the next publishDate or expiryDate, when a rebuild changes what is published. */
  private scheduleNextChange(at: number | null): void {
    this.cancelScheduleTimer?.();
    this.cancelScheduleTimer = null;
    if (at === null || this.closed) return;
    const wait = at - this.clock.now();
    this.cancelScheduleTimer = this.clock.setTimer(
      () => {
        this.cancelScheduleTimer = null;
        // A wait longer than a timer allows ends early; the rebuild then sets the next step.
        void this.reload({ reason: wait > MAX_TIMER_MS ? 'schedule (long wait)' : 'schedule' });
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
  }
}

function merge(a: ReloadRequest | null, b: ReloadRequest): ReloadRequest {
  if (!a) return { ...b };
  const content = a.content === 'all' || b.content === 'all' ? 'all' : a.content || b.content ? [...(a.content ?? []), ...(b.content ?? [])] : undefined;
  return {
    ...(content !== undefined ? { content } : {}),
    templates: Boolean(a.templates || b.templates),
    assets: Boolean(a.assets || b.assets),
    reason: a.reason === b.reason ? a.reason : `${a.reason}, ${b.reason}`,
  };
}

/** Nunjucks reports "(file) [Line n, Column m]"; make it a diagnostic a person can follow. */
export function templateDiagnostic(error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const m = /\(([^)]+\.njk)\)\s*\[Line (\d+), Column (\d+)\]/.exec(message);
  const detail = message.replace(/\s+/g, ' ').replace(/^Template render error: /, '').trim();
  return m
    ? diagnostic(`views/${m[1]!.replace(/^.*\/views\//, '')}`, `the template could not be rendered: ${detail}`, { line: Number(m[2]), column: Number(m[3]) })
    : diagnostic('views', `the templates could not be rendered: ${detail}`);
}

function roundTimings(t: ReloadOutcome['timings']): Record<string, number> {
  return { readMs: Math.round(t.readMs * 10) / 10, buildMs: Math.round(t.buildMs * 10) / 10, renderMs: Math.round(t.renderMs * 10) / 10 };
}
