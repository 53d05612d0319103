/**
 * The content worker thread's tasks: parsing pages, working out document
 * files' facts, and rendering, compressing and writing pages, each on plain
 * data from the pool (src/parallel/contentWorkers.ts). The functions are the
 * ones the main thread runs when it has no workers. Loaded by the thread at
 * its first task (see contentWorker.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  fileFactsJob,
  parsePageJob,
  parseTools,
  toPlainParsed,
  type FileFactsJob,
  type PageJob,
  type PageParseContext,
} from '../content/buildSite.js';
import { strongEtag } from '../content/fileInfo.js';
import { brotliVariant, gzipVariant, PAGE_COMPRESSION } from '../render/prepared.js';
import {
  contextFromSnapshot,
  renderFromSnapshot,
  snapshotTemplates,
  type RenderedVariants,
  type RenderSnapshot,
} from '../render/renderSnapshot.js';
import { createTemplateEnvironment } from '../render/templates.js';
import type nunjucks from 'nunjucks';
import type { TaskHandler, WorkerContext } from './serveTasks.js';
import type { ExportPagesTask, RenderPagesTask, WarmTask } from './contentWorkers.js';

/** A Buffer over bytes that arrived as a Uint8Array (structured cloning drops the Buffer class). */
function buffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function need(context: WorkerContext | null): WorkerContext {
  if (!context) throw new Error('this task needs a context');
  return context;
}

/** Templates compiled on this thread, by the snapshot's templates key: once per change of templates. */
const templates = new Map<string, nunjucks.Environment>();

/** Pages' templates and everything they extend, include or import, found in their text. */
const PAGE_TEMPLATES = ['page.njk', 'document.njk'];
const REFERENCED = /\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']/g;
function compilePageTemplates(env: nunjucks.Environment): void {
  const seen = new Set<string>();
  const queue = [...PAGE_TEMPLATES];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    const template = env.getTemplate(name, true) as nunjucks.Template & { tmplStr?: string };
    for (const [, referenced] of (template.tmplStr ?? '').matchAll(REFERENCED)) queue.push(referenced!);
  }
}
function renderContextOf(context: WorkerContext) {
  return context.memo('render', () => {
    const snapshot = context.data as RenderSnapshot;
    let env = templates.get(snapshot.templates);
    if (!env) {
      templates.clear();
      templates.set(snapshot.templates, (env = snapshotTemplates(snapshot)));
    }
    return contextFromSnapshot(snapshot, env);
  });
}

/** Folders made by this worker (one per page: a page is path/index.html). */
const made = new Set<string>();
function makeDir(dir: string): void {
  if (made.has(dir)) return;
  mkdirSync(dir, { recursive: true });
  made.add(dir);
}

export const contentTasks: Record<string, TaskHandler> = {
  /**
   * Gets the thread ready while the main thread is still reading the content folder: this module and its
   * libraries loaded (by the first task, whatever it is), the page templates of `viewsDir` compiled.
   */
  warm(payload) {
    const { viewsDir, templates: key = viewsDir } = payload as WarmTask;
    if (!templates.has(key)) {
      const env = createTemplateEnvironment(viewsDir);
      compilePageTemplates(env);
      templates.clear();
      templates.set(key, env);
    }
    return { result: null };
  },

  parsePages(payload, context) {
    const ctx = need(context);
    const parseContext = ctx.data as PageParseContext;
    const tools = ctx.memo('parseTools', () => parseTools(parseContext));
    const results = (payload as PageJob[]).map((job) => {
      const { digest, parsed } = parsePageJob(
        { ...job, bytes: buffer(job.bytes), knownDigest: job.knownDigest && buffer(job.knownDigest) },
        parseContext,
        tools,
      );
      return { digest, parsed: parsed && toPlainParsed(parsed) };
    });
    return { result: results };
  },

  fileFacts(payload) {
    const results = (payload as FileFactsJob[]).map((job) =>
      fileFactsJob({ ...job, bytes: buffer(job.bytes), knownDigest: job.knownDigest && buffer(job.knownDigest) }),
    );
    return { result: results };
  },

  exportPages(payload, context) {
    const ctx = need(context);
    const render = renderContextOf(ctx);
    const task = payload as ExportPagesTask;
    let bytes = 0;
    let files = 0;
    // Written synchronously: this thread has nothing else to do meanwhile, and a page's file goes to the page
    // cache in a fraction of the time the promise machinery of an asynchronous write costs (which profiles of
    // the export showed as a fifth of each worker's time).
    const write = (file: string, data: Buffer | string) => {
      const target = path.join(task.outDir, file);
      makeDir(path.dirname(target));
      writeFileSync(target, data);
      bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
      files++;
    };
    for (const page of task.pages) {
      const text = renderFromSnapshot(render, page);
      if (!task.precompress) {
        // Written as the string: the file system call encodes it as UTF-8 at half the cost of a Buffer made first.
        write(page.file, text);
        continue;
      }
      const html = Buffer.from(text, 'utf8');
      write(page.file, html);
      write(`${page.file}.gz`, gzipVariant(html, PAGE_COMPRESSION));
      write(`${page.file}.br`, brotliVariant(html, PAGE_COMPRESSION));
    }
    return { result: { files, bytes } };
  },

  renderPages(payload, context) {
    const ctx = need(context);
    const render = renderContextOf(ctx);
    const transfer: ArrayBuffer[] = [];
    const result: RenderedVariants[] = (payload as RenderPagesTask).pages.map((page) => {
      const html = Buffer.from(renderFromSnapshot(render, page), 'utf8');
      const gzip = gzipVariant(html, PAGE_COMPRESSION);
      const br = brotliVariant(html, PAGE_COMPRESSION);
      transfer.push(gzip.buffer as ArrayBuffer, br.buffer as ArrayBuffer);
      return { url: page.url, etag: strongEtag(html), gzip, br };
    });
    return { result, transfer };
  },
};
