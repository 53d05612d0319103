/**
 * Checks that the NHS.UK header navigation works: every link is on show or
 * behind the "More" button, and that button opens and closes its menu by
 * mouse and by keyboard.
 */
import type { Page } from 'playwright-core';

export async function headerMenuProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  const links = page.locator('.nhsuk-header__navigation a');
  const count = await links.count();
  if (count === 0) return ['the header has no navigation links'];
  const hidden: string[] = [];
  for (let i = 0; i < count; i++) {
    if (!(await links.nth(i).isVisible())) hidden.push((await links.nth(i).getAttribute('href')) ?? '?');
  }
  const menu = page.locator('.nhsuk-header__menu');
  const toggle = page.locator('.nhsuk-header__menu-toggle');
  const menuList = page.locator('.nhsuk-header__menu-list');
  if (!(await menu.isVisible())) {
    if (hidden.length) problems.push(`header links hidden with no "More" menu to reach them: ${hidden.join(', ')}`);
    return problems;
  }
  if (hidden.length === 0) problems.push('the "More" button is shown but every link is already visible');

  // Mouse: open shows every link, Escape closes.
  await toggle.click();
  if ((await toggle.getAttribute('aria-expanded')) !== 'true')
    problems.push('clicking "More" did not set aria-expanded="true"');
  for (const href of hidden) {
    if (!(await menuList.locator(`a[href="${href}"]`).isVisible()))
      problems.push(`${href} is not visible in the opened menu`);
  }
  await page.keyboard.press('Escape');
  if ((await toggle.getAttribute('aria-expanded')) !== 'false') problems.push('Escape did not close the menu');
  if (await menuList.isVisible()) problems.push('the menu list is still visible after Escape');

  // Keyboard: the button takes focus, Enter opens, Tab reaches the first menu link.
  await toggle.focus();
  await page.keyboard.press('Enter');
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') problems.push('Enter on "More" did not open the menu');
  await page.keyboard.press('Tab');
  const focusedHref = await page.evaluate(() => document.activeElement?.getAttribute('href') ?? null);
  if (focusedHref !== hidden[0])
    problems.push(`Tab after opening the menu focused ${focusedHref}, not its first link ${hidden[0]}`);
  await page.keyboard.press('Escape');
  if ((await toggle.getAttribute('aria-expanded')) !== 'false')
    problems.push('Escape did not close the menu opened by keyboard');
  return problems;
}
