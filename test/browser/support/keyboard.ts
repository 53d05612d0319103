/** Walks a page with the Tab key and describes where focus lands. */
import type { Page } from 'playwright-core';

export const REGIONS = ['skip link', 'header', 'breadcrumb', 'main', 'sidebar', 'footer', 'elsewhere'] as const;
export type Region = (typeof REGIONS)[number];

export interface FocusStop {
  /** Position of the element in document order. */
  index: number;
  region: Region;
  label: string;
  /** The element's box is inside the viewport once it has focus. */
  onScreen: boolean;
  focusedStyle: Record<string, string>;
}

/** Properties that NHS.UK focus styles (yellow background, dark underline) and browser outlines change. */
const STYLE_PROPERTIES = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color', 'color'];

/** Describes the element that has focus, or returns null when nothing (the body) has it. */
export async function focusStop(page: Page): Promise<FocusStop | null> {
  return page.evaluate((properties) => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const region = el.matches('.nhsuk-skip-link')
      ? 'skip link'
      : el.closest('header')
        ? 'header'
        : el.closest('.nhsuk-breadcrumb')
          ? 'breadcrumb'
          : el.closest('main')
            ? 'main'
            : el.closest('.app-side-nav')
              ? 'sidebar'
              : el.closest('footer')
                ? 'footer'
                : 'elsewhere';
    const rect = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return {
      index: [...document.querySelectorAll('*')].indexOf(el),
      region,
      label:
        `${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"` +
        (el.getAttribute('href') ? ` ${el.getAttribute('href')}` : ''),
      onScreen:
        rect.width > 0 &&
        rect.height > 0 &&
        rect.bottom > 0 &&
        rect.right > 0 &&
        rect.top < innerHeight &&
        rect.left < innerWidth,
      focusedStyle: Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)])),
    };
  }, STYLE_PROPERTIES) as Promise<FocusStop | null>;
}

/** Every element a keyboard user should be able to reach, in document order. */
export async function reachableElements(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    const selector =
      'a[href], button:not([disabled]), ' +
      'input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
      'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll(selector)]
      .filter((el) => el.checkVisibility({ checkVisibilityCSS: true }))
      .map((el) => all.indexOf(el));
  });
}

/** The style of an element without focus, for comparison with its focused style. */
export async function unfocusedStyle(page: Page, index: number): Promise<Record<string, string>> {
  return page.evaluate(
    ([i, properties]) => {
      (document.activeElement as HTMLElement | null)?.blur();
      const el = document.querySelectorAll('*')[i as number]!;
      const style = getComputedStyle(el);
      return Object.fromEntries((properties as string[]).map((p) => [p, style.getPropertyValue(p)]));
    },
    [index, STYLE_PROPERTIES] as const,
  );
}

/** True when focus visibly changes the element: an outline, a box shadow or a new background. */
export function hasVisibleFocusChange(focused: Record<string, string>, unfocused: Record<string, string>): boolean {
  const outline = focused['outline-style'] !== 'none' && parseFloat(focused['outline-width'] ?? '0') > 0;
  const shadow = focused['box-shadow'] !== 'none' && focused['box-shadow'] !== unfocused['box-shadow'];
  const background = focused['background-color'] !== unfocused['background-color'];
  return outline || shadow || background;
}

/**
 * Presses Tab (or Shift+Tab) until focus leaves the page or wraps round to
 * where it started. More stops than `limit` means focus is trapped.
 */
export async function tabThrough(
  page: Page,
  key: 'Tab' | 'Shift+Tab',
  limit: number,
): Promise<{ stops: FocusStop[]; trapped: boolean }> {
  const stops: FocusStop[] = [];
  const start = (await focusStop(page))?.index;
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const stop = await focusStop(page);
    if (!stop) return { stops, trapped: false };
    // Focus that does not move when Tab is pressed is held by the page.
    if (stop.index === (stops.at(-1)?.index ?? start)) return { stops, trapped: true };
    if (stop.index === start || (stops.length > 0 && stop.index === stops[0]!.index)) return { stops, trapped: false };
    stops.push(stop);
  }
  return { stops, trapped: true };
}
