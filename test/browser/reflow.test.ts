/**
 * Reflow (WCAG 1.4.10): at 320 CSS pixels wide, which is a 1280 px screen
 * zoomed to 400%, every page fits the width with nothing cut off, the header
 * menu still works and the sidebar's links are all there and usable.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedBundledSite } from '../helpers/site.js';
import { clippedContent, horizontalOverflow } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { headerMenuProblems } from './support/headerMenu.js';
import { saveScreenshot } from './support/screenshots.js';
import { REFLOW } from './support/viewports.js';
import { startServer, type TestServer } from './support/server.js';
import { pagesUnderTest, withServerErrorPage } from './support/sitePages.js';

const VIEWPORT = REFLOW;

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
        await saveScreenshot(page, `${target.name}.320`);
        const problems: string[] = [];
        const overflow = await horizontalOverflow(page);
        if (overflow.scrollWidth > overflow.clientWidth) problems.push(`scrolls sideways: ${overflow.scrollWidth}px in ${overflow.clientWidth}px; ${overflow.culprits.join(', ')}`);
        problems.push(...(await clippedContent(page)).map((c) => `clipped: ${c}`));
        problems.push(...(await headerMenuProblems(page)).map((p) => `header: ${p}`));

        const sideLinks = page.locator('.app-side-nav a');
        const count = await sideLinks.count();
        if (count === 0) problems.push('the sidebar has no links');
        for (let i = 0; i < count; i++) {
          const link = sideLinks.nth(i);
          await link.scrollIntoViewIfNeeded();
          const box = await link.boundingBox();
          if (!box || !(await link.isVisible())) problems.push(`sidebar link ${i + 1} is not visible`);
          else if (box.x < 0 || box.x + box.width > VIEWPORT.width + 0.5) problems.push(`sidebar link "${await link.textContent()}" runs off the side`);
        }
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
      expect(await page.locator('.app-side-nav a[aria-current="page"]').getAttribute('href')).toBe('/regional-projects/');
    } finally {
      await page.close();
    }
  });
});
