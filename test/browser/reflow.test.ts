/**
 * Reflow (WCAG 1.4.10): at 320 CSS pixels wide, which is a 1280 px screen
 * zoomed to 400%, every page fits the width with nothing cut off, the header
 * menu still works and the sidebar's links are all there and usable.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedBundledSite } from '../helpers/site.js';
import { clippedContent, horizontalOverflow } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { headerMenuProblems } from './support/headerMenu.js';
import { REFLOW } from './support/viewports.js';
import { startServer, type TestServer } from './support/server.js';
import { pagesUnderTest, withServerErrorPage } from './support/sitePages.js';

const VIEWPORT = REFLOW;

/** Every sidebar link is rendered, inside the width of the screen and big enough to press (WCAG 2.5.8). */
async function sidebarProblems(page: Page): Promise<string[]> {
  return page.evaluate((width) => {
    const links = [...document.querySelectorAll('.app-side-nav a')];
    if (links.length === 0) return ['the sidebar has no links'];
    return links.flatMap((link) => {
      const rect = link.getBoundingClientRect();
      const name = link.textContent?.trim();
      if (!link.checkVisibility({ checkVisibilityCSS: true }) || rect.width === 0)
        return [`sidebar link "${name}" is not shown`];
      if (rect.left < 0 || rect.right > width + 0.5) return [`sidebar link "${name}" runs off the side`];
      if (rect.height < 24) return [`sidebar link "${name}" is only ${rect.height}px tall`];
      return [];
    });
  }, VIEWPORT.width);
}

const site = withServerErrorPage(await renderedBundledSite());
const pages = pagesUnderTest(site);

describe.skipIf(skipBrowserTests)('reflow at 320 px', () => {
  let browser: Browser;
  let server: TestServer;
  let context: BrowserContext;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(site)]);
    context = await browser.newContext({ viewport: VIEWPORT });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const target of pages) {
    it(`${target.path} fits 320 px with nothing lost`, async () => {
      const page = await context.newPage();
      try {
        await page.goto(`${server.origin}${target.path}`);
        await page.waitForSelector('[data-nhsuk-header-init]', { state: 'attached' });
        const problems: string[] = [];
        const overflow = await horizontalOverflow(page);
        if (overflow.scrollWidth > overflow.clientWidth)
          problems.push(
            `scrolls sideways: ${overflow.scrollWidth}px in ${overflow.clientWidth}px; ${overflow.culprits.join(', ')}`,
          );
        problems.push(...(await clippedContent(page)).map((c) => `clipped: ${c}`));
        problems.push(...(await headerMenuProblems(page)).map((p) => `header: ${p}`));

        problems.push(...(await sidebarProblems(page)));
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('the sidebar can be used at 320 px: following a link opens that page', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${server.origin}/work-streams/key-performance-indicators/`);
      const link = page.locator('.app-side-nav a[href="/regional-projects/"]');
      await link.click();
      await page.waitForURL(`${server.origin}/regional-projects/`);
      expect(await page.locator('.app-side-nav a[aria-current="page"]').getAttribute('href')).toBe(
        '/regional-projects/',
      );
    } finally {
      await page.close();
    }
  });
});
