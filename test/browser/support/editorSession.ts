/**
 * What the editor's browser suites share: a browser context signed in as
 * someone at one screen size, and the problems a signed-in page may have
 * (axe-core violations, sideways scrolling on a phone, CSP violations,
 * console errors, exceptions, failed requests), with its screenshot saved.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, cspViolations, horizontalOverflow, recordCspViolations, type PageWatch } from './audit.js';
import { saveScreenshot } from './screenshots.js';
import { PHONE } from './viewports.js';

/** A new context at this screen size, recording CSP violations, signed in through the sign-in form. */
export async function signedInContext(
  browser: Browser,
  origin: string,
  viewport: { width: number; height: number },
  username: string,
  password: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await recordCspViolations(context);
  const page = await context.newPage();
  await page.goto(`${origin}/edit/sign-in`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${origin}/edit/`), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.close();
  return context;
}

/** Every problem of the page as shown now; its screenshot goes to test-output/screenshots/editor-<name>.<width>.png. */
export async function editorPageProblems(page: Page, watch: PageWatch, width: number, name: string): Promise<string[]> {
  await saveScreenshot(page, `editor-${name}.${width}`);
  const problems = (await axeViolations(page)).map((v) => `axe: ${v}`);
  if (width <= PHONE.width) {
    const overflow = await horizontalOverflow(page);
    if (overflow.scrollWidth > overflow.clientWidth)
      problems.push(
        `scrolls sideways: ${overflow.scrollWidth}px in ${overflow.clientWidth}px; ${overflow.culprits.join(', ')}`,
      );
  }
  problems.push(...(await cspViolations(page)).map((v) => `CSP: ${v}`));
  problems.push(
    ...watch.consoleErrors.map((e) => `console: ${e}`),
    ...watch.pageErrors.map((e) => `exception: ${e}`),
    ...watch.failedRequests.map((e) => `request: ${e}`),
  );
  return problems;
}
