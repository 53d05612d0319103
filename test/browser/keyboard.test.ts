/**
 * Keyboard use, on a page of each shape (home, a page deep in a section,
 * document pages, the 404 page) at desktop and phone widths: the skip link comes first and moves
 * focus to the main content; Tab reaches every link and control in document
 * order (header, breadcrumb, main, sidebar, footer), each with a visible
 * focus indicator; Shift+Tab goes back the same way; nothing traps focus.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedBundledSite } from '../helpers/site.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { hasVisibleFocusChange, REGIONS, reachableElements, tabThrough, unfocusedStyle } from './support/keyboard.js';
import { DESKTOP, PHONE } from './support/viewports.js';
import { startServer, type TestServer } from './support/server.js';
import { NOT_FOUND_TEST_PATH } from './support/sitePages.js';

/** A page of each shape: home, deep in a section, a document with a PDF, a document with a data table, and 404. */
const SITE_PAGES = [
  '/',
  '/work-streams/key-performance-indicators/',
  '/documents/quality-indicators/',
  '/documents/regional-perinatal-dataset/',
];
const PAGES = [...SITE_PAGES, NOT_FOUND_TEST_PATH];
const VIEWPORTS = [DESKTOP, PHONE];
/** Far more stops than any page has: reaching it means focus is trapped. */
const TAB_LIMIT = 200;

const site = await renderedBundledSite();

describe.skipIf(skipBrowserTests)('keyboard', () => {
  let browser: Browser;
  let server: TestServer;
  const contexts = new Map<number, BrowserContext>();

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(site)]);
    for (const viewport of VIEWPORTS) contexts.set(viewport.width, await browser.newContext({ viewport }));
  });
  it('tests pages that exist', () => {
    for (const path of SITE_PAGES) expect(site.model.pages.has(path), path).toBe(true);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(width: number, path: string): Promise<Page> {
    const page = await contexts.get(width)!.newPage();
    await page.goto(`${server.origin}${path}`);
    await page.waitForSelector('[data-nhsuk-header-init]', { state: 'attached' });
    return page;
  }

  for (const viewport of VIEWPORTS) {
    for (const path of PAGES) {
      it(
        `${path} at ${viewport.width}px: the first Tab shows the skip link, ` + `which moves focus to the main content`,
        async () => {
          const page = await open(viewport.width, path);
          try {
            await page.keyboard.press('Tab');
            const skip = page.locator('.nhsuk-skip-link');
            expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
            const box = await skip.boundingBox();
            expect(box && box.width > 20 && box.height > 10, 'the focused skip link is visible').toBe(true);
            expect(await skip.textContent()).toBe(site.model.settings.labels.skipLink);

            await page.keyboard.press('Enter');
            expect(await page.evaluate(() => document.activeElement?.id)).toBe('maincontent');
            expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
            // The next Tab continues from the main content, not from the top of the page.
            await page.keyboard.press('Tab');
            const next = await page.evaluate(() => {
              const el = document.activeElement;
              return el?.closest('main') ? 'main' : el?.closest('.app-side-nav') ? 'sidebar' : el?.tagName;
            });
            expect(['main', 'sidebar']).toContain(next);
          } finally {
            await page.close();
          }
        },
      );

      it(
        `${path} at ${viewport.width}px: Tab reaches everything in order with a ` +
          `visible focus indicator, and nothing traps it`,
        async () => {
          const page = await open(viewport.width, path);
          try {
            const expected = await reachableElements(page);
            const forward = await tabThrough(page, 'Tab', TAB_LIMIT);
            expect(
              forward.trapped,
              `focus trapped after ${forward.stops
                .slice(-3)
                .map((s) => s.label)
                .join(' → ')}`,
            ).toBe(false);
            expect(forward.stops.map((s) => s.index)).toEqual(expected);

            const regions = forward.stops.map((s) => REGIONS.indexOf(s.region));
            expect(regions, 'focus moves skip link → header → breadcrumb → main → sidebar → footer').toEqual(
              [...regions].sort((a, b) => a - b),
            );
            expect(forward.stops.some((s) => s.region === 'elsewhere')).toBe(false);
            for (const region of ['skip link', 'header', 'footer'] as const)
              expect(
                forward.stops.some((s) => s.region === region),
                region,
              ).toBe(true);
            if (await page.locator('.app-side-nav').count())
              expect(forward.stops.some((s) => s.region === 'sidebar')).toBe(true);

            const problems: string[] = [];
            for (const stop of forward.stops) {
              if (!stop.onScreen) problems.push(`${stop.label} is off screen when focused`);
              if (!hasVisibleFocusChange(stop.focusedStyle, await unfocusedStyle(page, stop.index)))
                problems.push(`${stop.label} shows no focus indicator`);
            }
            expect(problems).toEqual([]);

            // From the last element, Shift+Tab retraces the same path backwards.
            await page.locator('*').nth(forward.stops.at(-1)!.index).focus();
            const backward = await tabThrough(page, 'Shift+Tab', TAB_LIMIT);
            expect(backward.trapped).toBe(false);
            expect([forward.stops.at(-1)!.index, ...backward.stops.map((s) => s.index)].reverse()).toEqual(expected);
          } finally {
            await page.close();
          }
        },
      );
    }
  }
});
