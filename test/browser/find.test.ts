/**
 * Finding things, in Chromium: the live search page (results, pagination,
 * no results, a query over the limit), the A to Z list, the header's search
 * box, and the static export's search page with JavaScript (it searches the
 * index file in the browser, with the same engine and ranking as Node) and
 * without (it says search needs JavaScript and links to the A to Z list).
 * Every page at both widths: no axe violations, console errors, failed
 * requests or CSP violations, and no sideways scrolling on the phone.
 * Screenshots are saved under test-output/screenshots/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_TO_Z_URL, SEARCH_URL } from '../../src/content/engineUrls.js';
import { exportSite } from '../../src/deploy/exportSite.js';
import { loadClientIndex, readClientIndex } from '../../src/search/clientIndex.js';
import { parseQuery } from '../../src/search/query.js';
import { renderedBundledSite } from '../helpers/site.js';
import { axeViolations, cspViolations, horizontalOverflow, recordCspViolations, watchPage } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { serveExport } from './support/exportServer.js';
import { saveScreenshot } from './support/screenshots.js';
import { startServer, type TestServer } from './support/server.js';
import { DESKTOP, PHONE } from './support/viewports.js';
import { clientIndexJson } from '../../src/search/exportIndex.js';

const VIEWPORTS = [DESKTOP, PHONE];
const site = await renderedBundledSite();
const labels = site.model.settings.labels;
const LONG_QUERY = 'perinatal '.repeat(30).trim();

const LIVE_PAGES = [
  { name: 'search', path: SEARCH_URL },
  { name: 'search-results', path: `${SEARCH_URL}?q=perinatal` },
  { name: 'search-results-page-2', path: `${SEARCH_URL}?q=perinatal&page=2` },
  { name: 'search-no-results', path: `${SEARCH_URL}?q=zebra` },
  { name: 'search-too-long', path: `${SEARCH_URL}?q=${encodeURIComponent(LONG_QUERY)}` },
  { name: 'a-z', path: A_TO_Z_URL },
];

/** Everything the page suite checks, for one loaded page. */
async function problemsOn(page: Page, viewportWidth: number, watch: ReturnType<typeof watchPage>): Promise<string[]> {
  const problems = (await axeViolations(page)).map((v) => `axe: ${v}`);
  if (viewportWidth <= PHONE.width) {
    const overflow = await horizontalOverflow(page);
    if (overflow.scrollWidth > overflow.clientWidth) problems.push(`scrolls sideways: ${overflow.culprits.join(', ')}`);
  }
  problems.push(...(await cspViolations(page)).map((v) => `CSP: ${v}`));
  problems.push(...watch.consoleErrors.map((e) => `console: ${e}`));
  problems.push(...watch.pageErrors.map((e) => `exception: ${e}`));
  problems.push(...watch.failedRequests.map((e) => `request: ${e}`));
  return problems;
}

/** Result titles as Node ranks them from the export's index file: what the browser must show. */
function expectedExportTitles(query: string): string[] {
  const index = readClientIndex(JSON.parse(clientIndexJson(site.model)))!;
  const { engine, byUrl } = loadClientIndex(index);
  const parsed = parseQuery(query, engine.processor);
  if (parsed.kind !== 'ok') throw new Error('not a query');
  return engine.search(parsed.words).map((h) => byUrl.get(h.id)![1]);
}

describe.skipIf(skipBrowserTests)('search, A to Z and the static export’s search in Chromium', () => {
  let browser: Browser;
  let live: TestServer;
  let exported: TestServer;
  let tmp: string;
  const contexts = new Map<number, BrowserContext>();

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'find-export-'));
    await exportSite(site, path.join(tmp, '_site'));
    [browser, live, exported] = await Promise.all([
      launchChromium(),
      startServer(site),
      serveExport(path.join(tmp, '_site')),
    ]);
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({ viewport });
      await recordCspViolations(context);
      contexts.set(viewport.width, context);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await exported?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  for (const viewport of VIEWPORTS) {
    for (const target of LIVE_PAGES) {
      it(`live ${target.name} at ${viewport.width}px`, async () => {
        const page = await contexts.get(viewport.width)!.newPage();
        try {
          const url = `${live.origin}${target.path}`;
          const watch = watchPage(page);
          const response = await page.goto(url, { waitUntil: 'load' });
          expect(response?.status()).toBe(200);
          await saveScreenshot(page, `find-${target.name}.${viewport.width}`);
          expect(await problemsOn(page, viewport.width, watch)).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }

    it(`export search with JavaScript at ${viewport.width}px: same results as Node ranks them`, async () => {
      const page = await contexts.get(viewport.width)!.newPage();
      try {
        const watch = watchPage(page);
        await page.goto(`${exported.origin}${SEARCH_URL}?q=perinatal`, { waitUntil: 'load' });
        await page.waitForSelector('[data-search-list] li', { timeout: 5_000 });
        const titles = await page.locator('[data-search-list] [data-search-title]').allTextContents();
        expect(titles).toEqual(expectedExportTitles('perinatal').slice(0, 10));
        expect(await page.locator('[data-search-count]').textContent()).toMatch(/results for ‘perinatal’/);
        expect(await page.locator('[data-search-fallback]').isVisible()).toBe(false);
        expect(await page.locator('[data-search-list] mark').count()).toBeGreaterThan(0);
        expect(await page.inputValue('#search-field')).toBe('perinatal');
        expect(await page.title()).toContain(labels.search.resultsTitle);
        await saveScreenshot(page, `find-export-search-results.${viewport.width}`);
        expect(await problemsOn(page, viewport.width, watch)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('export search: pagination links lead to the next page of the same ranking', async () => {
    const page = await contexts.get(DESKTOP.width)!.newPage();
    try {
      const expected = expectedExportTitles('project');
      expect(expected.length, 'the bundled site needs more than one page of results here').toBeGreaterThan(10);
      await page.goto(`${exported.origin}${SEARCH_URL}?q=project`, { waitUntil: 'load' });
      await page.waitForSelector('[data-search-pagination] a[rel="next"]');
      await page.click('[data-search-pagination] a[rel="next"]');
      await page.waitForURL(/page=2/);
      await page.waitForSelector('[data-search-list] li');
      expect(await page.locator('[data-search-list] [data-search-title]').allTextContents()).toEqual(
        expected.slice(10, 20),
      );
      expect(await page.getAttribute('[data-search-list]', 'start')).toBe('11');
      expect(await page.getAttribute('[data-search-pagination] a[aria-current="page"]', 'href')).toBe(
        `${SEARCH_URL}?q=project&page=2`,
      );
    } finally {
      await page.close();
    }
  });

  it('export search: a query over the limit shows the error pattern, focused', async () => {
    const page = await contexts.get(DESKTOP.width)!.newPage();
    try {
      const watch = watchPage(page);
      await page.goto(`${exported.origin}${SEARCH_URL}?q=${encodeURIComponent(LONG_QUERY)}`, { waitUntil: 'load' });
      await page.waitForSelector('.nhsuk-error-summary');
      const message = labels.search.tooLong.replace('{max}', '200');
      expect(await page.locator('.nhsuk-error-summary').textContent()).toContain(message);
      expect(await page.locator('#search-field-error').textContent()).toContain(message);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('nhsuk-error-summary'))).toBe(true);
      expect(await page.locator('[data-search-list] li').count()).toBe(0);
      expect(await problemsOn(page, DESKTOP.width, watch)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('export search: hostile text in the query stays text', async () => {
    const page = await contexts.get(DESKTOP.width)!.newPage();
    try {
      const payload = '<img src=x onerror=alert(1)> perinatal';
      let dialogs = 0;
      page.on('dialog', (d) => {
        dialogs++;
        void d.dismiss();
      });
      await page.goto(`${exported.origin}${SEARCH_URL}?q=${encodeURIComponent(payload)}`, { waitUntil: 'load' });
      await page.waitForSelector('[data-search-count]:not(:empty)');
      expect(await page.locator('[data-search-count]').textContent()).toContain('<img src=x onerror=alert(1)>');
      expect(await page.locator('main img').count()).toBe(0);
      expect(dialogs).toBe(0);
    } finally {
      await page.close();
    }
  });

  for (const viewport of VIEWPORTS) {
    it(`export search without JavaScript at ${viewport.width}px: says so and links to the A to Z list`, async () => {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        const watch = watchPage(page);
        await page.goto(`${exported.origin}${SEARCH_URL}?q=perinatal`, { waitUntil: 'load' });
        const fallback = page.locator('[data-search-fallback]');
        expect(await fallback.isVisible()).toBe(true);
        expect(await fallback.textContent()).toContain(labels.search.needsJavaScript);
        expect(await fallback.locator('a').getAttribute('href')).toBe(A_TO_Z_URL);
        expect(await page.locator('[data-search-app]').isVisible()).toBe(false);
        await saveScreenshot(page, `find-export-search-no-js.${viewport.width}`);
        expect([...watch.failedRequests, ...watch.consoleErrors]).toEqual([]);
        // axe needs scripts (its own timers), so the page is checked as it looks without
        // JavaScript: the site's scripts blocked, and the classes the inline script adds removed.
        const checked = await contexts.get(viewport.width)!.newPage();
        await checked.route('**/*.js', (route) => route.abort());
        await checked.goto(`${exported.origin}${SEARCH_URL}?q=perinatal`, { waitUntil: 'load' });
        await checked.evaluate(() => document.body.classList.remove('js-enabled', 'nhsuk-frontend-supported'));
        expect(await checked.locator('[data-search-fallback]').isVisible()).toBe(true);
        const problems = (await axeViolations(checked)).map((v) => `axe: ${v}`);
        await checked.close();
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('the header search box on any page leads to the site’s own results', async () => {
    const page = await contexts.get(DESKTOP.width)!.newPage();
    try {
      await page.goto(`${live.origin}/about/`, { waitUntil: 'load' });
      await page.fill('#header-search-field', 'dataset');
      await page.press('#header-search-field', 'Enter');
      await page.waitForURL(`${live.origin}${SEARCH_URL}?q=dataset`);
      expect(await page.locator('.app-search-results [data-search-title]').first().textContent()).toBe(
        'Regional Perinatal Dataset',
      );
    } finally {
      await page.close();
    }
  });
});
