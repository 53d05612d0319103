/**
 * A one-page edit costs work in proportion to the change, not to the site: what the renderer reads of unchanged
 * pages, and what it sends the worker threads, is kept from the version before. Each test also checks that the
 * result is what a full render gives, so that nothing kept is stale.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import type { Page } from '../../src/content/model.js';
import { CrossPageMemo } from '../../src/content/crossPageReuse.js';
import { PageCache } from '../../src/content/pageCache.js';
import { renderPage, createRenderContext } from '../../src/render/renderPage.js';
import {
  contextFromSnapshot,
  renderFromSnapshot,
  type PageToRender,
  type RenderedVariants,
  type RenderSnapshot,
  type RenderWorkers,
} from '../../src/render/renderSnapshot.js';
import { SiteRenderer } from '../../src/render/siteRenderer.js';
import { createTemplateEnvironment } from '../../src/render/templates.js';
import { VIEWS_DIR } from '../../src/paths.js';
import { memoryFolder, minimalFiles, page, SITE_URL } from '../helpers/site.js';
import { gunzipSync, gzipSync } from 'node:zlib';

function fixture(): Record<string, string> {
  return minimalFiles({
    'a/index.md': page('title: Section A\ndescription: D\nnavigation:\n  order: 1', 'Pages:\n\n{{sectionPages}}\n'),
    'a/one.md': page('title: A one\ndescription: D', 'Body one.\n'),
    'a/two.md': page('title: A two\ndescription: D', 'Body two.\n'),
    'b/index.md': page('title: Section B\ndescription: D\nnavigation:\n  order: 2'),
    'b/one.md': page('title: B one\ndescription: D'),
  });
}

/**
 * Worker threads played on this thread: a context is kept by its id, as a worker keeps it, and pages are rendered
 * with it, so a context kept when it should have been replaced shows in the HTML.
 */
function fakeWorkers() {
  const env = createTemplateEnvironment(VIEWS_DIR);
  const contexts = new Map<string, ReturnType<typeof contextFromSnapshot>>();
  const sent: RenderSnapshot[] = [];
  let next = 0;
  const workers: RenderWorkers = {
    renderContext(snapshot) {
      sent.push(snapshot);
      return { id: `context-${++next}`, data: structuredClone(snapshot) };
    },
    async renderPages(context, pages: PageToRender[]): Promise<RenderedVariants[]> {
      let ctx = contexts.get(context.id);
      if (!ctx) contexts.set(context.id, (ctx = contextFromSnapshot(context.data as RenderSnapshot, env)));
      return pages.map((p) => {
        const html = Buffer.from(renderFromSnapshot(ctx, structuredClone(p)), 'utf8');
        const etag = `"${createHash('sha256').update(html).digest('base64url')}"`;
        return { url: p.url, etag, gzip: gzipSync(html), br: new Uint8Array() };
      });
    },
    warm: true,
  };
  return { workers, sent };
}

function session(workers?: RenderWorkers) {
  const cache = new PageCache();
  const crossPage = new CrossPageMemo();
  const renderer = new SiteRenderer({ siteUrl: SITE_URL, ...(workers ? { workers } : {}) });
  return (files: Record<string, string>) => {
    const result = buildSite(memoryFolder(files), { cache, crossPage, now: 0 });
    if (!result.site) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n'));
    return { ...renderer.render(result.site), model: result.site };
  };
}

describe('the cost of a one-page edit', () => {
  it('does not read the HTML of pages that did not change', () => {
    const render = session();
    const files = fixture();
    const first = render(files);
    // Count reads of every page's HTML from here on.
    let reads = 0;
    for (const p of first.model.pages.values()) {
      const html = p.bodyHtml;
      Object.defineProperty(p, 'bodyHtml', {
        get: () => {
          reads++;
          return html;
        },
      });
    }
    const second = render({ ...files, 'b/one.md': page('title: B one\ndescription: D', 'Edited.\n') });
    expect(second.stats.invalidated).toEqual(['/b/one/']);
    expect(reads).toBe(0);
    // Kept facts still follow a change: the section page's list shows the new title.
    const third = render({ ...files, 'a/two.md': page('title: A second\ndescription: D', 'Body two.\n') });
    const ctx = createRenderContext(third.model, createTemplateEnvironment(VIEWS_DIR), third.site.assets, SITE_URL);
    expect(renderPage(ctx, third.model.pages.get('/a/')!)).toContain('A second');
    expect(third.site.pages.get('/a/')!.body.toString()).toContain('A second');
  });

  it("keeps the workers' context after a body edit, and sends a new one when a title changes", async () => {
    const { workers, sent } = fakeWorkers();
    const render = session(workers);
    const files = fixture();
    const html = async (site: ReturnType<typeof render>['site'], url: string) => {
      await site.pages.prepare([url]);
      return gunzipSync(site.pages.get(url)!.bytes('gzip')).toString('utf8');
    };
    const first = render(files);
    expect(await html(first.site, '/a/one/')).toContain('Body one.');
    expect(sent).toHaveLength(1);

    const edited = render({ ...files, 'a/one.md': page('title: A one\ndescription: D', 'Body one, edited.\n') });
    expect(edited.stats.rerender).toEqual(['/a/one/']);
    expect(await html(edited.site, '/a/one/')).toContain('Body one, edited.');
    expect(sent).toHaveLength(1); // the same context: nothing the layout shows of other pages changed

    const retitled = render({ ...files, 'a/two.md': page('title: A second\ndescription: D', 'Body two.\n') });
    const sidebar = await html(retitled.site, '/a/one/');
    expect(sent).toHaveLength(2);
    expect(sidebar).toContain('A second');
    expect(sidebar).not.toContain('A two');
    // The bytes are those of a render on this thread.
    const local = createRenderContext(
      retitled.model,
      createTemplateEnvironment(VIEWS_DIR),
      retitled.site.assets,
      SITE_URL,
    );
    expect(sidebar).toBe(renderPage(local, retitled.model.pages.get('/a/one/') as Page));
  });
});
