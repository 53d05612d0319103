/**
 * The site as it is served while content changes: one content version with
 * two views, the public site and (when asked for) the preview, both from one
 * parse. A reload loads the next version beside the one being served and
 * swaps both views in one assignment, only when the new version is valid
 * (its layout rendered; pages render on first request). A request therefore
 * sees the old site or the new one, never a mix; a broken edit leaves the old
 * site serving and marks the content stale until it is fixed.
 *
 * Reloads run one at a time. Changes that arrive during a reload are merged
 * into one follow-up reload. Only the changed files are read again, only
 * changed pages are parsed again (ContentLoader) and only affected pages lose
 * their rendering, to be rendered again when next asked for (SiteRenderer).
 * Scheduled pages appear and disappear by a timer set for the next
 * publishDate or expiryDate.
 */
import { diagnostic, formatDiagnostic, sortDiagnostics, type Diagnostic } from '../content/diagnostics.js';
import type { BuildResult, BuildWorkers, SourcePage } from '../content/buildSite.js';
import { reviewContent } from '../content/governance.js';
import type { SiteModel } from '../content/model.js';
import { mapProblems } from '../content/problemScope.js';
import { ukDate } from '../content/publication.js';
import type { ContentFolder } from '../content/readContentFolder.js';
import { ContentLoader, folderSource, type ContentSource } from '../content/loadContent.js';
import type { RenderedSite } from '../render/renderedSite.js';
import { createRenderContext, renderPage, type PreviewOptions } from '../render/renderPage.js';
import type { RenderWorkers } from '../render/renderSnapshot.js';
import { RenderResources, SiteRenderer, type RenderStats } from '../render/siteRenderer.js';
import type { Logger } from '../logger.js';

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
  /** The public view is now the content on disk. */
  ok: boolean;
  /** Increases with every successful swap. */
  version: number;
  diagnostics: Diagnostic[];
  /** What the public view's renderer did; null when the public view was not swapped. */
  stats: RenderStats | null;
  /** The preview view, when the live site has one. */
  preview: { ok: boolean; stats: RenderStats | null } | null;
  /** Milliseconds spent reading, building and rendering. */
  timings: { readMs: number; buildMs: number; renderMs: number };
  reason: string;
}

export interface ContentStatus {
  /**
   * 'current': serving the content on disk; 'stale': the content on disk has errors, an older version is served;
   * 'none': nothing valid loaded yet.
   */
  state: 'current' | 'stale' | 'none';
  version: number;
  /** When the version served was loaded. */
  loadedAt: number | null;
  /** Problems found by the last attempt (warnings only, when current). */
  diagnostics: Diagnostic[];
  /**
   * 'stale' only: the version served is the content on disk with its broken pages left out (a preview that started
   * with errors has no older version to keep), so the other pages are up to date.
   */
  brokenPagesLeftOut?: boolean;
}

export interface LiveSiteOptions {
  /** The content folder, read directly... */
  contentDir?: string;
  /** ...or a source in front of it (a content store). */
  source?: ContentSource;
  siteUrl: string;
  logger: Logger;
  /** Also serve the preview view: drafts and scheduled pages shown, reload script added. */
  preview?: PreviewOptions;
  viewsDir?: string;
  publicDir?: string;
  clock?: Clock;
  /**
   * Worker threads that parse, validate and render (src/parallel/): with
   * them, this thread only reads files, assembles versions and swaps them, so
   * requests are answered while a reload runs. Without them (tests, small
   * tools), the same work runs here.
   */
  workers?: BuildWorkers & RenderWorkers;
}

/**
 * The views being served. Each is swapped when the new version is valid for
 * it: a link from a published page to a draft stops the public view (it
 * would break for visitors), not the preview where the draft is shown.
 */
interface ServedViews {
  site: RenderedSite | null;
  preview: RenderedSite | null;
}

function initialStatus(): ContentStatus {
  return { state: 'none', version: 0, loadedAt: null, diagnostics: [] };
}

export class LiveSite {
  private readonly options: LiveSiteOptions;
  private readonly clock: Clock;
  private readonly loader: ContentLoader;
  private readonly resources: RenderResources;
  private readonly renderer: SiteRenderer;
  private readonly previewRenderer: SiteRenderer | null;
  private served: ServedViews = { site: null, preview: null };
  /** Every page of the last version that parsed, in any state (for the editor's list of pages). */
  private sources: SourcePage[] = [];
  private version = 0;
  private publicStatus: ContentStatus = initialStatus();
  private previewStatus_: ContentStatus = initialStatus();
  private running: Promise<void> | null = null;
  private pending: ReloadRequest | null = null;
  private pendingWaiters: Array<(outcome: ReloadOutcome) => void> = [];
  private cancelScheduleTimer: (() => void) | null = null;
  private listeners = new Set<(outcome: ReloadOutcome) => void>();
  private closed = false;

  constructor(options: LiveSiteOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    const source = options.source ?? (options.contentDir !== undefined ? folderSource(options.contentDir) : null);
    if (!source) throw new Error('LiveSite needs a contentDir or a source');
    // Writers see advice on their writing in the preview; visitors' sites skip it.
    this.loader = new ContentLoader(source, {
      writingAdvice: options.preview !== undefined,
      ...(options.workers ? { workers: options.workers } : {}),
    });
    this.resources = new RenderResources({
      ...(options.viewsDir ? { viewsDir: options.viewsDir } : {}),
      ...(options.publicDir ? { publicDir: options.publicDir } : {}),
    });
    const workers = options.workers ? { workers: options.workers } : {};
    this.renderer = new SiteRenderer({ siteUrl: options.siteUrl, resources: this.resources, ...workers });
    this.previewRenderer = options.preview
      ? new SiteRenderer({ siteUrl: options.siteUrl, resources: this.resources, preview: options.preview, ...workers })
      : null;
  }

  /** The public site being served; null until a valid version has loaded. */
  current(): RenderedSite | null {
    return this.served.site;
  }

  /** The preview of the same version (drafts and scheduled pages too); null without a preview. */
  currentPreview(): RenderedSite | null {
    return this.served.preview;
  }

  /** The diagnostics saving these bytes at this path would give, without writing or reloading anything. */
  validateEdit(path: string, bytes: Buffer): Diagnostic[] {
    return this.loader.validateEdit(path, bytes, this.clock.now()).diagnostics;
  }

  /** The diagnostics of several changes at once (null: the file is removed), without writing anything. */
  validateChanges(changes: ReadonlyMap<string, Buffer | null>): Diagnostic[] {
    return this.loader.validateChanges(changes, this.clock.now()).diagnostics;
  }

  /**
   * What saving these bytes at this path would give: its diagnostics and, when
   * the preview of that version has no errors, the page rendered exactly as
   * the site renders it (same templates, assets and navigation). Nothing is
   * written and nothing served changes.
   */
  previewEdit(
    path: string,
    bytes: Buffer,
    preview: PreviewOptions = {},
  ): { diagnostics: Diagnostic[]; html: string | null } {
    const result = this.loader.validateEdit(path, bytes, this.clock.now());
    const page =
      result.preview &&
      [...result.preview.pages.values(), result.preview.notFoundPage, result.preview.serverErrorPage].find(
        (p) => p?.source === path,
      );
    if (!result.preview || !page) return { diagnostics: result.diagnostics, html: null };
    const ctx = createRenderContext(
      result.preview,
      this.resources.env,
      this.resources.assets,
      this.options.siteUrl,
      preview,
    );
    return { diagnostics: result.diagnostics, html: renderPage(ctx, page) };
  }

  /** Every page of the version loaded last that parsed, published or not, with its state then. */
  sourcePages(): readonly SourcePage[] {
    return this.sources;
  }

  /** Renders these pages of the views served on the workers, if not rendered yet (and so readies a worker). */
  async prepare(urls: readonly string[]): Promise<void> {
    await Promise.all([this.served.site?.pages.prepare(urls), this.served.preview?.pages.prepare(urls)]);
  }

  /** The public view's state, for /readyz and the logs. */
  status(): ContentStatus {
    return this.publicStatus;
  }

  /** The preview's state (the same as the public view's when there is no preview). */
  previewStatus(): ContentStatus {
    return this.previewRenderer ? this.previewStatus_ : this.publicStatus;
  }

  /** Bytes of a content file as last read, for quoting it in error messages. */
  fileText(relativePath: string): string | null {
    return this.loader.fileText(relativePath);
  }

  assets() {
    return this.resources.assets;
  }

  /** The templates pages are rendered with, for the preview's own notices in the site's look. */
  templates() {
    return this.resources.env;
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
        outcome = this.fail(
          request,
          [
            diagnostic(
              '.',
              `the content could not be reloaded: ${error instanceof Error ? error.message : String(error)}`,
            ),
          ],
          null,
        );
      }
      for (const resolve of waiters) resolve(outcome);
      for (const listener of this.listeners) listener(outcome);
    }
    this.running = null;
  }

  private async reloadOnce(request: ReloadRequest): Promise<ReloadOutcome> {
    const t0 = performance.now();
    if (request.templates) this.resources.reloadTemplates();
    if (request.assets) this.resources.reloadAssets();
    const loaded = await this.loader.load(request.content ?? [], this.clock.now());
    const t1 = performance.now();
    if (!loaded.folder) return this.fail(request, loaded.build.diagnostics, null);
    const result = this.previewRenderer ? withGovernance(loaded.build, loaded.folder, this.clock.now()) : loaded.build;
    this.sources = result.sourcePages;
    this.scheduleNextChange(result.nextChangeAt);
    const timings = { readMs: t1 - t0 - loaded.timings.buildMs, buildMs: loaded.timings.buildMs, renderMs: 0 };
    const partial = this.previewRenderer && !result.preview ? this.previewDespiteErrors(result) : null;
    const previewModel = this.previewRenderer ? (result.preview ?? partial) : null;
    if (!result.site && !previewModel) return this.fail(request, result.diagnostics, timings);

    let site: { site: RenderedSite; stats: RenderStats } | null;
    let preview: { site: RenderedSite; stats: RenderStats } | null;
    try {
      site = result.site ? this.renderer.render(result.site) : null;
      preview = previewModel ? this.previewRenderer!.render(previewModel) : null;
    } catch (error) {
      return this.fail(request, [...result.diagnostics, templateDiagnostic(error)], timings);
    }
    // With workers, the pages visitors had asked for are rendered before the swap, so that none of them waits.
    await Promise.all([
      site?.site.pages.prepare(site.stats.rerender),
      preview?.site.pages.prepare(preview.stats.rerender),
    ]);
    timings.renderMs = performance.now() - t1;
    // The swap: one assignment. Requests in flight keep the objects they already hold.
    this.served = { site: site?.site ?? this.served.site, preview: preview?.site ?? this.served.preview };
    this.version++;
    const now = this.clock.now();
    const current = (): ContentStatus => ({
      state: 'current',
      version: this.version,
      loadedAt: now,
      diagnostics: result.diagnostics,
    });
    this.publicStatus = site ? current() : this.staleStatus(this.publicStatus, this.served.site, result.diagnostics);
    if (this.previewRenderer)
      this.previewStatus_ =
        preview && !partial
          ? current()
          : {
              ...this.staleStatus(this.previewStatus_, this.served.preview, result.diagnostics),
              ...(partial ? { brokenPagesLeftOut: true } : {}),
            };

    const log = { reason: request.reason, version: this.version, ...roundTimings(timings) };
    if (site) {
      this.options.logger.info(
        { ...log, pages: site.site.pages.size, invalidated: site.stats.invalidated.length, reused: site.stats.reused },
        'content loaded',
      );
    } else {
      this.logProblems(
        request,
        result.diagnostics,
        'content has errors for the public site: the preview is updated, the public site keeps its previous version',
      );
    }
    for (const d of site ? result.diagnostics : [])
      this.options.logger.warn({ file: d.file, line: d.line, column: d.column }, d.message);
    return {
      ok: site !== null,
      version: this.version,
      diagnostics: result.diagnostics,
      stats: site?.stats ?? null,
      preview: this.previewRenderer ? { ok: preview !== null && !partial, stats: preview?.stats ?? null } : null,
      timings,
      reason: request.reason,
    };
  }

  /**
   * A preview with no version yet whose errors each concern one page (no settings or template error): every other
   * page, so that one person's broken file does not stop everyone previewing from the start. The broken pages
   * show their errors (server/previewProblems.ts), as they do once there is an earlier version to keep.
   */
  private previewDespiteErrors(result: BuildResult): SiteModel | null {
    if (this.served.preview || !result.previewWithout) return null;
    const problems = mapProblems(result.diagnostics.filter((d) => d.severity === 'error' && d.scope !== 'public'));
    if (problems.site.length > 0 || problems.elsewhere.length > 0) return null;
    return result.previewWithout(new Set(problems.pages.keys()));
  }

  private staleStatus(previous: ContentStatus, served: RenderedSite | null, diagnostics: Diagnostic[]): ContentStatus {
    const { brokenPagesLeftOut: _older, ...kept } = previous;
    return { ...kept, state: served ? 'stale' : 'none', diagnostics };
  }

  private logProblems(request: ReloadRequest, diagnostics: Diagnostic[], message: string): void {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    this.options.logger.error(
      {
        reason: request.reason,
        errors: errors.length,
        servingVersion: this.served.site ? this.publicStatus.version : null,
      },
      message,
    );
    for (const d of diagnostics) {
      const log =
        d.severity === 'error'
          ? this.options.logger.error.bind(this.options.logger)
          : this.options.logger.warn.bind(this.options.logger);
      log(
        { file: d.file, line: d.line, column: d.column, severity: d.severity, problem: formatDiagnostic(d) },
        d.message,
      );
    }
  }

  private fail(
    request: ReloadRequest,
    diagnostics: Diagnostic[],
    timings: ReloadOutcome['timings'] | null,
  ): ReloadOutcome {
    this.publicStatus = this.staleStatus(this.publicStatus, this.served.site, diagnostics);
    this.previewStatus_ = this.staleStatus(this.previewStatus_, this.served.preview, diagnostics);
    this.logProblems(
      request,
      diagnostics,
      this.served.site
        ? 'content has errors: still serving the previous version'
        : 'content has errors: nothing to serve yet',
    );
    return {
      ok: false,
      version: this.version,
      diagnostics,
      stats: null,
      preview: this.previewRenderer ? { ok: false, stats: null } : null,
      timings: timings ?? { readMs: 0, buildMs: 0, renderMs: 0 },
      reason: request.reason,
    };
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

/**
 * The preview's writers also see what `npm run check` says of the content's upkeep (an overdue review, the example
 * description left in, a page nobody can reach): as warnings, once the version has no errors of its own.
 */
function withGovernance(build: BuildResult, folder: ContentFolder, now: number): BuildResult {
  if (!build.preview) return build;
  const governance = reviewContent({ folder, build }, { today: ukDate(now) });
  if (governance.diagnostics.length === 0) return build;
  return { ...build, diagnostics: sortDiagnostics([...build.diagnostics, ...governance.diagnostics]) };
}

function merge(a: ReloadRequest | null, b: ReloadRequest): ReloadRequest {
  if (!a) return { ...b };
  const content =
    a.content === 'all' || b.content === 'all'
      ? 'all'
      : a.content || b.content
        ? [...(a.content ?? []), ...(b.content ?? [])]
        : undefined;
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
  const detail = message
    .replace(/\s+/g, ' ')
    .replace(/^Template render error: /, '')
    .trim();
  return m
    ? diagnostic(`views/${m[1]!.replace(/^.*\/views\//, '')}`, `the template could not be rendered: ${detail}`, {
        line: Number(m[2]),
        column: Number(m[3]),
      })
    : diagnostic('views', `the templates could not be rendered: ${detail}`);
}

function roundTimings(t: ReloadOutcome['timings']): Record<string, number> {
  return {
    readMs: Math.round(t.readMs * 10) / 10,
    buildMs: Math.round(t.buildMs * 10) / 10,
    renderMs: Math.round(t.renderMs * 10) / 10,
  };
}
