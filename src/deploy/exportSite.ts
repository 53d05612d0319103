/**
 * Writes a rendered site as static files, for any static host or CDN: the
 * same bytes the live server sends, at paths a plain file server maps back
 * to the same URLs (/a/b/ -> a/b/index.html).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { A_TO_Z_URL, FEED_URL } from '../content/engineUrls.js';
import { FAVICON } from '../render/assets.js';
import { PreparedResponse } from '../render/prepared.js';
import { HTML } from '../render/renderedSite.js';
import type { RenderedSite } from '../render/renderedSite.js';
import { pageToRender, type PageToRender } from '../render/renderSnapshot.js';
import { searchExportFiles } from '../search/searchPages.js';
import { redirectFiles } from './redirectFiles.js';

/** Written into every export, so a later export may safely replace the folder. */
export const EXPORT_MARKER = '.site-export';

export interface ExportFile {
  /** Path relative to the output folder, with forward slashes. */
  file: string;
  /** The response, made on demand: pages are rendered as the export reaches them, not kept. */
  response: () => PreparedResponse;
  /** The identity bytes, without preparing a response where that can be avoided. */
  body: () => Buffer;
}

export interface ExportOptions {
  /** Also write .gz and .br siblings of compressible files (nginx gzip_static/brotli_static). */
  precompress?: boolean;
  /**
   * Renders and writes the content's pages elsewhere (on worker threads, see
   * src/parallel/), to the same bytes this thread would write; the rest of
   * the export is written here meanwhile.
   */
  pageWriter?: PageWriter;
}

/** Writes pages of the export, given their addresses, files and bodies. */
export type PageWriter = (
  pages: (PageToRender & { file: string })[],
  options: { outDir: string; precompress: boolean },
) => Promise<ExportResult>;

export interface ExportResult {
  files: number;
  bytes: number;
}

export function fileForUrl(url: string): string {
  if (url.endsWith('/')) return `${url.slice(1)}index.html`;
  return url.slice(1);
}

/** Every file of the export, in a stable order. Rendering happens here for pages not yet rendered. */
export function* exportFiles(site: RenderedSite, options: { pages: boolean } = { pages: true }): Generator<ExportFile> {
  const of = (response: PreparedResponse) => ({ response: () => response, body: () => response.body });
  for (const url of options.pages ? site.pages.keys() : []) {
    const body = () => site.pages.html(url)!;
    yield { file: fileForUrl(url), body, response: () => new PreparedResponse(body(), HTML) };
  }
  yield { file: '404.html', ...of(site.notFound) };
  yield { file: 'sitemap.xml', ...of(site.sitemap) };
  yield { file: 'robots.txt', ...of(site.robots) };
  yield { file: fileForUrl(A_TO_Z_URL), ...of(site.enginePages.atoZ) };
  yield { file: fileForUrl(FEED_URL), ...of(site.enginePages.feed) };
  // The search page searches in the browser here, from an index file beside it.
  for (const f of searchExportFiles(site))
    yield { file: fileForUrl(f.url), body: f.body, response: () => new PreparedResponse(f.body(), f.contentType) };
  for (const asset of site.assets.all) yield { file: fileForUrl(asset.url), ...of(asset.response) };
  // Content images, under their fingerprinted addresses in /assets/ (cached for a year, like the assets).
  for (const [url, image] of site.images) yield { file: fileForUrl(url), ...of(image) };
  const favicon = site.assets.byName.get(FAVICON);
  if (favicon) yield { file: 'favicon.ico', ...of(favicon.response) };
  // Written under the decoded path (the map's key), which is what a static
  // server looks for after decoding the link's percent-encoding.
  for (const [urlPath, download] of site.model.library.downloads) {
    yield {
      file: fileForUrl(urlPath),
      body: () => download.bytes,
      response: () => new PreparedResponse(download.bytes, download.type.contentType),
    };
  }
  for (const f of redirectFiles(site, fileForUrl))
    yield { file: f.file, body: () => f.body, response: () => new PreparedResponse(f.body, f.contentType) };
}

export class ExportError extends Error {}

async function prepareOutDir(outDir: string): Promise<void> {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0 && !entries.includes(EXPORT_MARKER)) {
      throw new ExportError(
        `${outDir} is not empty and was not made by an export: choose an empty folder with OUT_DIR, or delete it`,
      );
    }
    await rm(outDir, { recursive: true, force: true });
  }
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, EXPORT_MARKER), 'Made by the site export; the next export replaces this folder.\n');
}

export async function exportSite(
  site: RenderedSite,
  outDir: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  await prepareOutDir(outDir);
  // Pages are rendered on the main thread while earlier ones are written by
  // the thread pool; a bounded number of writes in flight keeps memory flat.
  const made = new Set<string>([outDir]);
  const inFlight = new Set<Promise<void>>();
  let files = 0;
  let bytes = 0;
  const write = async (file: string, data: Buffer) => {
    const target = path.join(outDir, file);
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const job = writeFile(target, data).then(() => {
      inFlight.delete(job);
    });
    inFlight.add(job);
    files++;
    bytes += data.length;
    if (inFlight.size >= 32) await Promise.race(inFlight);
  };
  const precompress = options.precompress === true;
  const pagesWritten = options.pageWriter?.(
    [...site.pages.keys()].map((url) => ({ ...pageToRender(site.model.pages.get(url)!), file: fileForUrl(url) })),
    { outDir, precompress },
  );
  // Should this thread's writing fail first, the pages' failure is still awaited below, not left unhandled.
  pagesWritten?.catch(() => undefined);
  for (const entry of exportFiles(site, { pages: pagesWritten === undefined })) {
    if (options.precompress) {
      const response = entry.response();
      await write(entry.file, response.body);
      if (response.compressible) {
        await write(`${entry.file}.gz`, response.bytes('gzip'));
        await write(`${entry.file}.br`, response.bytes('br'));
      }
    } else {
      await write(entry.file, entry.body());
    }
    // Between files, the pool's answers are taken and the workers handed their next pages.
    if (pagesWritten) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(inFlight);
  const pages = (await pagesWritten) ?? { files: 0, bytes: 0 };
  return { files: files + pages.files, bytes: bytes + pages.bytes };
}
