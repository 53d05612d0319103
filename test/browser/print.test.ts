/**
 * Printing: the print stylesheet hides the header navigation and the sidebar
 * (useless on paper) and prints the address of every external link after its
 * text, so a reader of the printout can still follow it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalFiles, page as pageFile, renderedFromFiles } from '../helpers/site.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { saveScreenshot } from './support/screenshots.js';
import { startServer, type TestServer } from './support/server.js';

const EXTERNAL = 'https://www.england.nhs.uk/mat-transformation/';
const site = renderedFromFiles(
  minimalFiles({
    'guide.md': pageFile(
      'title: Guide\ndescription: A page with links.\nnavigation:\n  order: 2',
      `Read [NHS England's maternity programme](${EXTERNAL}) or go back to the ` +
        `[home page](/).\n\n## Contact\n\nEmail {{contactEmail}}.\n`,
    ),
  }),
);

describe.skipIf(skipBrowserTests)('print stylesheet', () => {
  let browser: Browser;
  let server: TestServer;
  let page: Page;

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(site)]);
    page = await browser.newPage({ viewport: { width: 800, height: 1100 } });
    await page.goto(`${server.origin}/guide/`);
    await page.waitForSelector('[data-nhsuk-header-init]', { state: 'attached' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const isDisplayed = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => el.checkVisibility());
  const afterContent = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((el) => getComputedStyle(el, '::after').content);

  it('shows the navigation and no link addresses on screen', async () => {
    await page.emulateMedia({ media: 'screen' });
    expect(await isDisplayed('.nhsuk-header__navigation')).toBe(true);
    expect(await isDisplayed('.app-side-nav')).toBe(true);
    expect(await afterContent(`main a[href="${EXTERNAL}"]`)).toBe('none');
  });

  it('hides the header navigation and the sidebar on paper, and keeps the content', async () => {
    await page.emulateMedia({ media: 'print' });
    await saveScreenshot(page, 'print.guide');
    expect(await isDisplayed('.nhsuk-header__navigation')).toBe(false);
    expect(await isDisplayed('.app-side-nav')).toBe(false);
    expect(await isDisplayed('main h1')).toBe(true);
    expect(await isDisplayed('.nhsuk-header__service-logo')).toBe(true);
  });

  it('prints the address after an external link, and not after internal ones', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await afterContent(`main a[href="${EXTERNAL}"]`)).toBe(`" (${EXTERNAL})"`);
    expect(await afterContent('main a[href="/"]')).toBe('none');
    expect(await afterContent('main a[href^="mailto:"]')).toBe('none');
  });

  it('renders to a PDF without errors', async () => {
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
