/**
 * The live search over HTTP: results rendered on the server, limits and
 * hostile queries, escaping of what content and queries hold, pagination,
 * noindex, drafts only in the preview, and an edit found after a reload.
 */
import type http from 'node:http';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/content/buildSite.js';
import type { RenderedSite } from '../../src/render/renderedSite.js';
import { renderSite } from '../../src/render/siteRenderer.js';
import { createApp } from '../../src/server/app.js';
import { LiveSite } from '../../src/live/liveSite.js';
import { termProcessor } from '../../src/search/language.js';
import { QUERY_LIMITS } from '../../src/search/query.js';
import { capturedLogger, clientFor, waitFor, writerFor } from '../helpers/live.js';
import {
  appFor,
  memoryFolder,
  minimalFiles,
  page,
  renderedBundledSite,
  renderedFromFiles,
  SITE_URL,
  tempContent,
} from '../helpers/site.js';
import { followWithSearch } from '../../src/cli/followWithSearch.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';

const titles = (html: string) => [...html.matchAll(/data-search-title>([^<]*)</g)].map((m) => m[1]);
const count = (html: string) => /<p class="app-search-count">([^<]*)</.exec(html)?.[1];

let bundled: RenderedSite;
beforeAll(async () => {
  bundled = await renderedBundledSite();
});

describe('GET /search/', () => {
  it('shows the form alone without a query, and is never indexed by search engines', async () => {
    const res = await request(appFor(bundled)).get('/search/');
    expect(res.status).toBe(200);
    expect(res.headers['x-robots-tag']).toBe('noindex');
    expect(res.text).toContain('<meta name="robots" content="noindex">');
    expect(res.text).toContain('id="search-field" name="q" type="search"');
    expect(count(res.text)).toBeUndefined();
  });

  it('ranks the page whose title matches first, with the words marked in the snippet', async () => {
    const res = await request(appFor(bundled)).get('/search/?q=dataset');
    expect(titles(res.text)[0]).toBe('Regional Perinatal Dataset');
    expect(res.text).toMatch(/<mark>[Dd]ataset<\/mark>/);
    expect(res.headers['x-robots-tag']).toBe('noindex');
  });

  it('finds forms of a word and tolerates a typo', async () => {
    const app = appFor(bundled);
    const indicators = titles((await request(app).get('/search/?q=indicators')).text);
    expect(indicators).toContain('Key performance indicators');
    expect(titles((await request(app).get('/search/?q=indicatrs')).text)).toEqual(indicators);
  });

  it('redirects /search to /search/, keeping the query, and answers HEAD', async () => {
    const app = appFor(bundled);
    const res = await request(app).get('/search?q=a%20b');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/search/?q=a%20b');
    expect((await request(app).head('/search/?q=dataset')).status).toBe(200);
  });

  it('pages through results, and shows the last page for a number past the end', async () => {
    const extra: Record<string, string> = {};
    for (let i = 0; i < 25; i++)
      extra[`audit-${String(i).padStart(2, '0')}.md`] = page(
        `title: Audit ${String(i).padStart(2, '0')}\ndescription: An audit page.`,
        'The audit.\n',
      );
    const app = appFor(renderedFromFiles(minimalFiles(extra)));
    const first = (await request(app).get('/search/?q=audit')).text;
    expect(count(first)).toBe('25 results for ‘audit’');
    expect(titles(first)).toHaveLength(10);
    expect(first).toContain('href="/search/?q=audit&amp;page=2" class="nhsuk-pagination__next" rel="next"');
    const second = (await request(app).get('/search/?q=audit&page=2')).text;
    expect(second).toContain('<ol class="nhsuk-list app-search-results" start="11">');
    expect(titles(second).filter((t) => titles(first).includes(t))).toEqual([]);
    const past = (await request(app).get('/search/?q=audit&page=50')).text;
    expect(titles(past)).toHaveLength(5);
    expect(past).toContain('aria-current="page">3</a>');
  });

  it(
    'refuses a query over the limit with a message naming the limit, ' +
      'quickly, for 10,000 characters or 1,000 words',
    async () => {
      const app = appFor(bundled);
      for (const q of [
        'x'.repeat(10_000),
        Array.from({ length: 1000 }, () => 'a').join(' '),
        Array.from({ length: 25 }, (_, i) => `w${i}`).join(' '),
      ]) {
        const started = performance.now();
        const res = await request(app).get(`/search/?q=${encodeURIComponent(q)}`);
        expect(performance.now() - started).toBeLessThan(1000);
        expect(res.status).toBe(200);
        expect(res.text).toContain('nhsuk-error-summary');
        expect(res.text).toMatch(
          new RegExp(`must be (${QUERY_LIMITS.maxCharacters} characters|${QUERY_LIMITS.maxWords} words) or fewer`),
        );
        expect(res.text).toContain('<title>Error: Search');
        expect(titles(res.text)).toEqual([]);
      }
    },
  );

  it('reads only the first q and page, whatever else the address holds', async () => {
    const app = appFor(bundled);
    for (const query of [
      'q=dataset&q=report',
      'q[]=dataset',
      'q[a]=x&q=dataset',
      'q=%E0%A4%A',
      'q=dataset&page=abc',
      'q=dataset&page=-5',
      'page=2',
      'q=%00%01dataset',
    ]) {
      const res = await request(app).get(`/search/?${query}`);
      expect(res.status, query).toBe(200);
    }
    expect(count((await request(app).get('/search/?q=dataset&q=report')).text)).toMatch(/for ‘dataset’/);
  });

  it('keeps XSS payloads in content and in the query inert', async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const site = renderedFromFiles(
      minimalFiles({
        'evil.md': page(
          `title: "Evil ${payload.replace(/"/g, '\\"')}"\ndescription: "Evil ${payload.replace(/"/g, '\\"')}"`,
          `Evil words ${payload} and "quotes" & more.\n`,
        ),
      }),
    );
    const res = await request(appFor(site)).get(`/search/?q=${encodeURIComponent(`evil ${payload}`)}`);
    const html = res.text;
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('value="evil &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"');
  });

  it('answers "search is getting ready" with 503 and Retry-After until the index has been built', async () => {
    const result = buildSite(memoryFolder(minimalFiles()));
    const site = renderSite(result.site!, { siteUrl: SITE_URL });
    const notReady = { ready: false, processor: termProcessor('en-GB'), search: () => [], snippetTexts: () => [] };
    const res = await request(
      createSiteHandler({ config: { trustProxy: false }, site, logger: createLogger('silent'), search: notReady }),
    ).get('/search/?q=home');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.text).toContain(site.model.settings.labels.search.preparing);
  });
});

describe('the live search across reloads', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  /** One live site with both views, each served by an app of its own with its own search index. */
  async function serve(files: Record<string, string>) {
    const content = tempContent(files);
    const { logger } = capturedLogger();
    const live = new LiveSite({
      contentDir: content.dir,
      siteUrl: SITE_URL,
      logger,
      preview: { reloadScriptUrl: '/__dev/reload.js' },
    });
    const publicSearch = followWithSearch(live, 'public', logger);
    const previewSearch = followWithSearch(live, 'preview', logger);
    await live.reload({ content: 'all', reason: 'start' });
    const listen = async (app: ReturnType<typeof createApp>): Promise<http.Server> => {
      const server: http.Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      cleanups.push(() => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      });
      return server;
    };
    const publicServer = await listen(
      createApp({ config: { trustProxy: false }, site: () => live.current()!, logger, search: publicSearch }),
    );
    const previewServer = await listen(
      createApp({ config: { trustProxy: false }, site: () => live.currentPreview()!, logger, search: previewSearch }),
    );
    cleanups.push(() => {
      live.close();
      publicSearch.close();
      previewSearch.close();
      content.cleanup();
    });
    return {
      live,
      client: clientFor(publicServer),
      previewClient: clientFor(previewServer),
      write: writerFor(content.dir),
    };
  }

  const files = minimalFiles({
    'survey.md': page('title: Survey\ndescription: The survey.', 'About the maternity survey.\n'),
    'plans.md': page('title: Plans\ndescription: Plans.\ndraft: true', 'Secret plans for the dataset.\n'),
  });

  it('finds an edited page by its new words once reloaded, and no longer by its old ones', async () => {
    const { live, client, write } = await serve(files);
    await waitFor(
      async () => count((await client.get('/search/?q=maternity')).text) === '1 result for ‘maternity’',
      5000,
      'the first index',
    );
    write('survey.md', page('title: Survey\ndescription: The survey.', 'About the neonatal questionnaire.\n'));
    await live.reload({ content: ['survey.md'], reason: 'test' });
    await waitFor(
      async () => count((await client.get('/search/?q=questionnaire')).text) === '1 result for ‘questionnaire’',
      5000,
      'the edit in the index',
    );
    expect(count((await client.get('/search/?q=maternity')).text)).toBe('No results for ‘maternity’');
  });

  it('shows drafts in the preview’s search only, one index per view of the same content version', async () => {
    const { client, previewClient } = await serve(files);
    await waitFor(async () => (await client.get('/search/?q=survey')).status === 200, 5000, 'public index');
    await waitFor(async () => (await previewClient.get('/search/?q=survey')).status === 200, 5000, 'preview index');
    expect(count((await client.get('/search/?q=secret')).text)).toBe('No results for ‘secret’');
    expect(titles((await previewClient.get('/search/?q=secret')).text)).toEqual(['Plans']);
  });
});
