/**
 * The content pipeline on worker threads does what it does on one thread:
 * the same parsed pages, diagnostics and document facts, and an export of the
 * same bytes (so the same ETags); and a worker that dies fails the build with
 * a message instead of leaving it waiting.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, buildSiteWith } from '../../src/content/buildSite.js';
import { strongEtag } from '../../src/content/fileInfo.js';
import { loadContent } from '../../src/content/loadContent.js';
import { EXPORT_MARKER, exportSite, fileForUrl } from '../../src/deploy/exportSite.js';
import { ContentWorkers } from '../../src/parallel/contentWorkers.js';
import { WorkerCrashError } from '../../src/parallel/workerPool.js';
import { VIEWS_DIR } from '../../src/paths.js';
import { renderSnapshot } from '../../src/render/renderSnapshot.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { documentPage, libraryFiles, memoryFolderOf, tinyPdf } from '../helpers/documents.js';
import { tinyPng } from '../helpers/images.js';
import { BUNDLED_CONTENT, buildFromFiles, minimalFiles, page, SITE_URL, tempContent } from '../helpers/site.js';

let workers: ContentWorkers;
const temp = mkdtempSync(path.join(os.tmpdir(), 'parallel-'));

beforeAll(() => {
  workers = new ContentWorkers({ size: 2 });
});

afterAll(async () => {
  await workers.close();
  rmSync(temp, { recursive: true, force: true });
});

function markerBytes(dir: string): number {
  return readFileSync(path.join(dir, EXPORT_MARKER)).length;
}

/** Every file under a folder, by relative path. */
function filesUnder(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    found.set(path.relative(dir, full), readFileSync(full));
  }
  return found;
}

describe('building on worker threads', () => {
  it('gives the same site, pages and diagnostics as building on one thread', async () => {
    const [one, many] = await Promise.all([
      loadContent(BUNDLED_CONTENT, 0, { writingAdvice: true }),
      loadContent(BUNDLED_CONTENT, 0, { writingAdvice: true, workers }),
    ]);
    expect(many.build.diagnostics).toEqual(one.build.diagnostics);
    expect(many.build.diagnostics.length).toBeGreaterThan(0); // the writing advice came back too
    const pages = (r: typeof one) => [...r.build.preview!.pages.values()];
    expect(pages(many).map((p) => p.url)).toEqual(pages(one).map((p) => p.url));
    for (const [i, page] of pages(many).entries()) {
      const other = pages(one)[i]!;
      expect({ ...page, positions: null }).toEqual({ ...other, positions: null });
      // Positions crossed threads as plain data and answer as before.
      expect(page.positions.at(['description'])).toEqual(other.positions.at(['description']));
    }
  });

  it("works out document files' facts there, and reports the same problems", async () => {
    const files = libraryFiles({
      'documents/report/index.md': documentPage({
        files: 'files:\n  - file: report.pdf\n  - file: data.csv\n  - file: broken.pdf',
      }),
      'documents/report/report.pdf': tinyPdf(3),
      'documents/report/data.csv': 'a,b\n=1+1,2\n3\n',
      'documents/report/broken.pdf': 'not a pdf at all',
    });
    const one = buildSite(memoryFolderOf(files));
    const many = await buildSiteWith(workers, memoryFolderOf(files));
    expect(many.diagnostics).toEqual(one.diagnostics);
    expect(many.diagnostics.map((d) => d.file)).toEqual(
      expect.arrayContaining(['documents/report/data.csv', 'documents/report/index.md']),
    );
    const good = libraryFiles({
      'documents/report/index.md': documentPage({ files: 'files:\n  - file: report.pdf\n  - file: data.csv' }),
      'documents/report/report.pdf': tinyPdf(3),
      'documents/report/data.csv': 'a,b\n1,2\n',
    });
    const library = (r: ReturnType<typeof buildSite>) =>
      r.site!.library.documents.get('report')!.files.map(({ bytes: _b, ...f }) => f);
    expect(library(await buildSiteWith(workers, memoryFolderOf(good)))).toEqual(
      library(buildSite(memoryFolderOf(good))),
    );
  });
});

describe('what a server asks of the workers', () => {
  it("reads a small site's document files on the calling thread, like its pages: no worker is started", async () => {
    const files = libraryFiles({
      'documents/report/index.md': documentPage({ files: 'files:\n  - file: report.pdf\n  - file: data.csv' }),
      'documents/report/report.pdf': tinyPdf(3),
      'documents/report/data.csv': 'a,b\n1,2\n',
    });
    const small = new ContentWorkers({ size: 2, inThreadBelowBytes: 1024 * 1024 });
    try {
      const here = await buildSiteWith(small, memoryFolderOf(files));
      const one = buildSite(memoryFolderOf(files));
      expect(here.diagnostics).toEqual(one.diagnostics);
      const library = (r: ReturnType<typeof buildSite>) =>
        r.site!.library.documents.get('report')!.files.map(({ bytes: _b, ...f }) => f);
      expect(library(here)).toEqual(library(one));
      expect(small.pool.stats.started).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('caps the heaps of the workers it starts, the young generation too when asked', async () => {
    const capped = new ContentWorkers({ size: 1, heapLimit: { baseMb: 64, perSourceMb: 4, youngMb: 16 } });
    const limits: unknown[] = [];
    const limitHeap = capped.pool.limitHeap.bind(capped.pool);
    capped.pool.limitHeap = (given) => {
      limits.push(given);
      limitHeap(given);
    };
    try {
      const { build } = await loadContent(BUNDLED_CONTENT, 0, { workers: capped });
      expect(build.site).not.toBeNull();
      expect(limits).toEqual([{ maxOldGenerationSizeMb: expect.any(Number), maxYoungGenerationSizeMb: 16 }]);
      expect((limits[0] as { maxOldGenerationSizeMb: number }).maxOldGenerationSizeMb).toBeGreaterThanOrEqual(64);
    } finally {
      await capped.close();
    }
  });
});

describe('heap limits after the workers have ended', () => {
  it('start the next worker with the cap the whole site needed, not one sized to the pages of an edit', async () => {
    // A server's only worker that ends (out of memory, say) is started again at the next edit, which parses one
    // page: capped for that page alone, its heap would be too small to render a large site's pages.
    const capped = new ContentWorkers({ size: 1, idleMs: 20, heapLimit: { baseMb: 64, perSourceMb: 4 } });
    const limits: number[] = [];
    const limitHeap = capped.pool.limitHeap.bind(capped.pool);
    capped.pool.limitHeap = (given) => {
      limits.push(given!.maxOldGenerationSizeMb!);
      limitHeap(given);
    };
    const long = (i: number) =>
      page(`title: Long ${i}\ndescription: A long page.`, 'Words in a line.\n'.repeat(12_000));
    const large = tempContent(
      minimalFiles(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`long-${i}.md`, long(i)]))),
    );
    const small = tempContent(minimalFiles());
    try {
      expect((await loadContent(large.dir, 0, { workers: capped })).build.site).not.toBeNull();
      await waitUntil(() => capped.pool.running === 0);
      expect((await loadContent(small.dir, 0, { workers: capped })).build.site).not.toBeNull();
      expect(limits).toHaveLength(2);
      expect(limits[0]).toBeGreaterThan(70);
      expect(limits[1]).toBe(limits[0]);
    } finally {
      await capped.close();
      large.cleanup();
      small.cleanup();
    }
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (const until = Date.now() + 5000; !check();) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the export on worker threads', () => {
  it('writes exactly the bytes of the one-thread export, so every page has the same ETag', async () => {
    const { build } = await loadContent(BUNDLED_CONTENT, Date.now(), { workers });
    const site = renderSite(build.site!, { siteUrl: SITE_URL });
    const one = path.join(temp, 'one');
    const many = path.join(temp, 'many');
    await exportSite(site, one, { precompress: true });
    const context = workers.renderContext(
      renderSnapshot(build.site!, site.assets, { siteUrl: SITE_URL, viewsDir: VIEWS_DIR }),
    );
    const written = await exportSite(renderSite(build.site!, { siteUrl: SITE_URL }), many, {
      precompress: true,
      pageWriter: (pages, options) => workers.exportPages(context, pages, options),
    });
    const a = filesUnder(one);
    const b = filesUnder(many);
    expect(written.files).toBe(b.size - 1); // all but the export's marker file
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    const differing = [...a].filter(([file, bytes]) => !bytes.equals(b.get(file)!)).map(([file]) => file);
    expect(differing).toEqual([]);
    // The live server's responses carry the same validators as the pages the workers wrote.
    for (const url of site.pages.keys()) {
      expect(strongEtag(b.get(fileForUrl(url))!)).toBe(site.pages.get(url)!.etag);
    }
    expect(site.pages.size).toBeGreaterThan(10);
  });
});

describe('the export as npm run build runs it', () => {
  it.each([false, true])(
    'writes the bytes of the one-thread export with workers started early and sent batches ahead (precompress %s)',
    async (precompress) => {
      const early = new ContentWorkers({ size: 2, tasksPerWorker: 4 });
      try {
        early.prestart(1, { viewsDir: VIEWS_DIR });
        expect(early.pool.running).toBe(2); // started before anything is read, each loading and compiling
        const { build } = await loadContent(BUNDLED_CONTENT, Date.now(), { workers: early });
        const site = renderSite(build.site!, { siteUrl: SITE_URL });
        const one = path.join(temp, `one-${precompress}`);
        const many = path.join(temp, `many-${precompress}`);
        await exportSite(site, one, { precompress });
        const context = early.renderContext(
          renderSnapshot(build.site!, site.assets, { siteUrl: SITE_URL, viewsDir: VIEWS_DIR }),
        );
        const written = await exportSite(renderSite(build.site!, { siteUrl: SITE_URL }), many, {
          precompress,
          pageWriter: (pages, options) => early.exportPages(context, pages, options),
        });
        const a = filesUnder(one);
        const b = filesUnder(many);
        expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
        expect([...a].filter(([file, bytes]) => !bytes.equals(b.get(file)!)).map(([file]) => file)).toEqual([]);
        expect(written.files).toBe(b.size - 1);
        expect(written.bytes).toBe([...b.values()].reduce((sum, bytes) => sum + bytes.length, 0) - markerBytes(many));
        for (const url of site.pages.keys())
          expect(strongEtag(b.get(fileForUrl(url))!)).toBe(site.pages.get(url)!.etag);
        expect(early.pool.stats.crashed).toBe(0);
      } finally {
        await early.close();
      }
    },
  );

  it('starts no worker early for a site small enough to parse on one thread', async () => {
    const small = new ContentWorkers({ size: 2, inThreadBelowBytes: 1024 * 1024 });
    try {
      small.prestart(1024 * 1024 - 1, { viewsDir: VIEWS_DIR });
      expect(small.pool.running).toBe(0);
      small.prestart(1024 * 1024, { viewsDir: VIEWS_DIR });
      expect(small.pool.running).toBe(2);
    } finally {
      await small.close();
    }
  });
});

describe('rendering on worker threads', () => {
  it('gives the same bytes for a page listing other pages ({{sectionPages}}) and showing a picture', async () => {
    const result = buildFromFiles(
      minimalFiles<string | Buffer>({
        'streams/index.md': page(
          'title: Work streams\ndescription: D',
          'The streams:\n\n{{sectionPages}}\n\n![A blue square](/images/picture.png)\n',
        ),
        'images/picture.png': tinyPng(),
        'streams/kpis.md': page('title: Key indicators\ndescription: What we measured.\nnavigation:\n  order: 1'),
        'streams/survey.md': page('title: Survey\ndescription: What units told us.\nnavigation:\n  order: 2'),
      }),
    );
    expect(result.diagnostics).toEqual([]);
    const here = renderSite(result.site!, { siteUrl: SITE_URL });
    const there = renderSite(result.site!, { siteUrl: SITE_URL, workers });
    await there.pages.prepare(['/streams/']); // rendered on a worker, and kept
    expect(workers.warm).toBe(true);
    const made = there.pages.get('/streams/');
    expect(made!.body.toString()).toContain('What units told us.');
    expect(made!.body.toString()).toMatch(/<img src="\/assets\/content\/picture\.[0-9a-f]{12}\.png" width="4"/);
    expect(made!.body.equals(here.pages.get('/streams/')!.body)).toBe(true);
    expect(made!.etag).toBe(here.pages.get('/streams/')!.etag);
  });
});

describe('a worker that dies', () => {
  const script = new URL('../fixtures/workers/crashingWorker.mjs', import.meta.url);

  it('fails loading with a message saying so, instead of hanging', async () => {
    const crashing = new ContentWorkers({ script, size: 2 });
    try {
      const loading = loadContent(BUNDLED_CONTENT, 0, { workers: crashing });
      await expect(loading).rejects.toBeInstanceOf(WorkerCrashError);
      await expect(loading).rejects.toThrow(/a worker thread of the content workers stopped \(exit code 7\)/);
    } finally {
      await crashing.close();
    }
  });

  it('fails the export with a message saying so, instead of hanging', async () => {
    const { build } = await loadContent(BUNDLED_CONTENT, Date.now(), { workers });
    const site = renderSite(build.site!, { siteUrl: SITE_URL });
    const crashing = new ContentWorkers({ script, size: 2 });
    try {
      const context = crashing.renderContext(
        renderSnapshot(build.site!, site.assets, { siteUrl: SITE_URL, viewsDir: VIEWS_DIR }),
      );
      const exporting = exportSite(site, path.join(temp, 'crashed'), {
        pageWriter: (pages, options) => crashing.exportPages(context, pages, options),
      });
      await expect(exporting).rejects.toThrow(/stopped \(exit code 7\) while running "exportPages"/);
    } finally {
      await crashing.close();
    }
  });
});
