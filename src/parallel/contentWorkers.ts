/**
 * The content pipeline's work on worker threads, as the main thread asks
 * for it: parsing pages and document files for a build (BuildWorkers),
 * rendering and writing the export's pages, and rendering and compressing
 * pages for serving. Work is cut into batches of similar size so that every
 * worker stays busy and no single message is large.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  fileFactsJob,
  parsePageJob,
  parseTools,
  toPlainParsed,
  type BuildWorkers,
  type FileFactsJob,
  type FileFactsJobResult,
  type PageJob,
  type PageJobResult,
  type PageParseContext,
  type PlainParsedPage,
} from '../content/buildSite.js';
import type { PageToRender, RenderedVariants, RenderSnapshot, RenderWorkers } from '../render/renderSnapshot.js';
import { PROJECT_ROOT } from '../paths.js';
import { WorkerPool, type TaskContext, type WorkerPoolOptions } from './workerPool.js';

/** Pages to render and write into the export (each with its file, relative to outDir). */
export interface ExportPagesTask {
  pages: (PageToRender & { file: string })[];
  outDir: string;
  precompress: boolean;
}

export interface RenderPagesTask {
  pages: PageToRender[];
}

/** Templates to compile ahead of the first page (see RenderSnapshot.viewsDir and .templates). */
export interface WarmTask {
  viewsDir: string;
  templates?: string;
}

/** Batches of about this many bytes of source: big enough to amortise a message, small enough to share out. */
const BATCH_BYTES = 128 * 1024;
const BATCH_ITEMS = 64;
/**
 * The export's batches are larger: a page there costs its layout (the navigation, tens of KB), not its body, so
 * about 30 pages keep a worker busy for a few tens of milliseconds, with one more queued on it (tasksPerWorker)
 * while this thread renders the site's other files; larger batches would leave one worker finishing alone.
 */
const EXPORT_BATCH_BYTES = 384 * 1024;
const PAGE_LAYOUT_BYTES = 8192;

/**
 * The worker's script: the compiled one beside this module, or, when this
 * module runs from TypeScript source (the tests, the benchmarks), the
 * compiled one in dist/, which `npm test` and `npm run bench` build first.
 */
export function contentWorkerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return new URL('./contentWorker.js', import.meta.url);
  const compiled = path.join(PROJECT_ROOT, 'dist', 'parallel', 'contentWorker.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run "npm run build:ts"`);
  return pathToFileURL(compiled);
}

function batches<T>(items: readonly T[], size: (item: T) => number, batchBytes = BATCH_BYTES): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    current.push(item);
    bytes += size(item);
    if (bytes >= batchBytes || current.length >= BATCH_ITEMS) {
      out.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

function asBuffer(bytes: Uint8Array | null): Buffer | null {
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export interface ContentWorkersOptions extends Partial<WorkerPoolOptions> {
  /**
   * Parse on the calling thread when the pages (or document files) to parse come to fewer bytes than
   * this: a worker thread costs a few hundred milliseconds to start (loading
   * the code, compiling templates), more than a small site takes to parse.
   * 0 by default: always on the workers. Can be changed (a server uses it for
   * its first load only, when it answers no requests yet).
   */
  inThreadBelowBytes?: number;
  /**
   * Caps each worker's heap in proportion to the content it is given: so many MB, plus so many per MB of pages
   * to parse (set before the first workers start). Left alone, V8 grows a worker's heap to several times what it
   * holds (about 200 MB for 40 MB live at 4,000 pages), and in the export that was most of the peak memory. A
   * cap too tight would fail the build (a worker out of memory), so it is generous: the heap a worker keeps
   * grows with the site's pages, as the settings and the navigation it renders with do.
   */
  heapLimit?: {
    baseMb: number;
    perSourceMb: number;
    /**
     * The young generation's cap, when set: a worker that renders for a server makes short-lived garbage page
     * after page, and with V8's default the young generation alone kept tens of MB resident.
     */
    youngMb?: number;
  };
}

export class ContentWorkers implements BuildWorkers, RenderWorkers {
  readonly pool: WorkerPool;
  inThreadBelowBytes: number;
  private renderVersion = 0;
  private rendered = false;

  private readonly heapLimit: ContentWorkersOptions['heapLimit'];

  constructor({ inThreadBelowBytes = 0, heapLimit, ...options }: ContentWorkersOptions = {}) {
    this.inThreadBelowBytes = inThreadBelowBytes;
    this.heapLimit = heapLimit;
    this.pool = new WorkerPool({ script: contentWorkerScript(), name: 'the content workers', ...options });
  }

  /**
   * Starts every worker now, for pages coming to about `sourceBytes` (see pageSourceBytes), and has each load its
   * code and compile the page templates while this thread reads the content folder; nothing when the pages will
   * be parsed here (below inThreadBelowBytes). Heap limits are set as parsePages would set them.
   */
  prestart(sourceBytes: number, templates: WarmTask): void {
    if (sourceBytes < this.inThreadBelowBytes || this.pool.running > 0) return;
    this.limitHeapFor(sourceBytes);
    for (let i = 0; i < this.pool.size; i++) {
      // A worker that cannot get ready now fails the same way at its first real task, which reports it.
      this.pool.run('warm', templates satisfies WarmTask).catch(() => undefined);
    }
  }

  /** The most content the workers have been sized for: the cap never falls below what the whole site needed. */
  private largestSourceBytes = 0;

  private limitHeapFor(bytes: number): void {
    if (!this.heapLimit) return;
    // A worker started again for an edit (the last one ended, out of memory say) renders the whole site's pages:
    // capped for the edited page alone, it would run out of memory in turn.
    this.largestSourceBytes = Math.max(this.largestSourceBytes, bytes);
    const { baseMb, perSourceMb, youngMb } = this.heapLimit;
    this.pool.limitHeap({
      maxOldGenerationSizeMb: Math.ceil(baseMb + (perSourceMb * this.largestSourceBytes) / 2 ** 20),
      ...(youngMb !== undefined ? { maxYoungGenerationSizeMb: youngMb } : {}),
    });
  }

  async parsePages(jobs: readonly PageJob[], context: PageParseContext): Promise<PageJobResult<PlainParsedPage>[]> {
    if (jobs.length === 0) return [];
    const bytes = jobs.reduce((sum, j) => sum + j.bytes.length, 0);
    if (bytes < this.inThreadBelowBytes) {
      const tools = parseTools(context);
      return jobs.map((job) => {
        const { digest, parsed } = parsePageJob(job, context, tools);
        return { digest, parsed: parsed && toPlainParsed(parsed) };
      });
    }
    if (this.pool.running === 0) this.limitHeapFor(bytes);
    const id = createHash('sha256').update(JSON.stringify(context.settings)).update(context.checks.key).digest('hex');
    const task: TaskContext = { id: `parse:${id}`, data: context };
    const parts = await Promise.all(
      batches(jobs, (j) => j.bytes.length).map((batch) =>
        this.pool.run<PageJobResult<PlainParsedPage>[]>('parsePages', batch, { context: task }),
      ),
    );
    return parts.flat().map((r) => ({ digest: asBuffer(r.digest), parsed: r.parsed }));
  }

  async fileFacts(jobs: readonly FileFactsJob[]): Promise<FileFactsJobResult[]> {
    // Small files are read through here, like small sites' pages: sooner than a worker can start.
    if (jobs.reduce((sum, j) => sum + j.bytes.length, 0) < this.inThreadBelowBytes) return jobs.map(fileFactsJob);
    const parts = await Promise.all(
      batches(jobs, (j) => j.bytes.length).map((batch) => this.pool.run<FileFactsJobResult[]>('fileFacts', batch)),
    );
    return parts.flat().map((r) => ({ digest: asBuffer(r.digest)!, facts: r.facts }));
  }

  /** A context for rendering pages of one site view; pass it to the render and export tasks of that view. */
  renderContext(snapshot: RenderSnapshot): TaskContext {
    return { id: `render:${++this.renderVersion}`, data: snapshot };
  }

  /** Renders pages into the export folder; resolves with the files and bytes written. */
  async exportPages(
    context: TaskContext,
    pages: ExportPagesTask['pages'],
    options: { outDir: string; precompress: boolean },
  ): Promise<{ files: number; bytes: number }> {
    const parts = await Promise.all(
      batches(pages, (p) => p.bodyHtml.length + PAGE_LAYOUT_BYTES, EXPORT_BATCH_BYTES).map((batch) =>
        this.pool.run<{ files: number; bytes: number }>(
          'exportPages',
          { pages: batch, ...options } satisfies ExportPagesTask,
          { context },
        ),
      ),
    );
    return parts.reduce((sum, p) => ({ files: sum.files + p.files, bytes: sum.bytes + p.bytes }), {
      files: 0,
      bytes: 0,
    });
  }

  /** Renders and compresses pages for serving. */
  async renderPages(context: TaskContext, pages: PageToRender[]): Promise<RenderedVariants[]> {
    const made = await this.pool.run<RenderedVariants[]>('renderPages', { pages } satisfies RenderPagesTask, {
      context,
    });
    this.rendered = true;
    return made;
  }

  /** A worker has rendered pages: its code is loaded and its templates compiled. */
  get warm(): boolean {
    return this.rendered && this.pool.running > 0;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
