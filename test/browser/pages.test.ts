/**
 * Every page of the bundled site, in Chromium, at a desktop and a phone
 * width: no axe-core violations (WCAG 2.2 AA and best practice), no console
 * errors, failed requests or CSP violations, no sideways scrolling on the
 * phone, NHS.UK frontend's scripts running and the header menu working.
 * Full-page screenshots are saved under test-output/screenshots/.
 */
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedBundledSite } from '../helpers/site.js';
import { axeViolations, cspViolations, horizontalOverflow, recordCspViolations, watchPage } from './support/audit.js';
import { launchChromium, skipBrowserTests } from './support/chromium.js';
import { headerMenuProblems } from './support/headerMenu.js';
import { saveScreenshot } from './support/screenshots.js';
import { DESKTOP, PHONE } from './support/viewports.js';
import { startServer, type TestServer } from './support/server.js';
import { pagesUnderTest, withServerErrorPage } from './support/sitePages.js';

const VIEWPORTS = [DESKTOP, PHONE];

const site = withServerErrorPage(await renderedBundledSite());
const pages = pagesUnderTest(site);

describe.skipIf(skipBrowserTests)('every page in Chromium', () => {
  let browser: Browser;
  let server: TestServer;
  const contexts = new Map<number, BrowserContext>();

  beforeAll(async () => {
    [browser, server] = await Promise.all([launchChromium(), startServer(site)]);
    for (const viewport of VIEWPORTS) {
      const context = await browser.newContext({ viewport });
      await recordCspViolations(context);
      contexts.set(viewport.width, context);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('covers every sitemap URL and the error pages', () => {
    expect(pages.length).toBe(site.model.pages.size + 2);
  });

  for (const viewport of VIEWPORTS) {
    for (const target of pages) {
      it(`${target.path} at ${viewport.width}px`, async () => {
        const page = await contexts.get(viewport.width)!.newPage();
        try {
          const url = `${server.origin}${target.path}`;
          const watch = watchPage(page, { url, status: target.status });
          const response = await page.goto(url, { waitUntil: 'load' });
          expect(response?.status()).toBe(target.status);
          await page
            .waitForSelector('[data-nhsuk-header-init]', { state: 'attached', timeout: 5_000 })
            .catch(() => undefined);
          await saveScreenshot(page, `${target.name}.${viewport.width}`);

          const problems: string[] = [];
          const bodyClass = (await page.getAttribute('body', 'class')) ?? '';
          if (!bodyClass.split(/\s+/).includes('js-enabled'))
            problems.push(`body has no js-enabled class (class="${bodyClass}")`);
          if ((await page.locator('[data-nhsuk-header-init]').count()) === 0)
            problems.push('nhsuk-frontend did not initialise the header');

          problems.push(...(await axeViolations(page)).map((v) => `axe: ${v}`));

          if (viewport.width <= PHONE.width) {
            const overflow = await horizontalOverflow(page);
            if (overflow.scrollWidth > overflow.clientWidth) {
              problems.push(
                `scrolls sideways: ${overflow.scrollWidth}px of content in ` +
                  `${overflow.clientWidth}px; ${overflow.culprits.join(', ')}`,
              );
            }
          }
          problems.push(...(await headerMenuProblems(page)).map((p) => `header: ${p}`));

          problems.push(...(await cspViolations(page)).map((v) => `CSP: ${v}`));
          problems.push(...watch.consoleErrors.map((e) => `console: ${e}`));
          problems.push(...watch.pageErrors.map((e) => `exception: ${e}`));
          problems.push(...watch.failedRequests.map((e) => `request: ${e}`));
          expect(problems).toEqual([]);
        } finally {
          await page.close();
        }
      });
    }
  }
});
