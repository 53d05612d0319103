/**
 * What the browser suite looks for on a page: axe-core violations, console
 * errors, uncaught exceptions, failed requests, Content Security Policy
 * violations and content wider than the viewport.
 */
import type * as AxeCore from 'axe-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

/** The WCAG 2.2 AA tags, and axe's best practices, as NHS.UK frontend itself tests. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface PageWatch {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
}

/**
 * Records console errors, uncaught exceptions and failed requests from now on.
 * An error status that is the point of the page (404 for "page not found")
 * makes Chromium log "Failed to load resource" for the document itself; only
 * that one message, for that document and status, is expected.
 */
export function watchPage(page: Page, expectedDocument?: { url: string; status: number }): PageWatch {
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], failedRequests: [] };
  const expectedLog =
    expectedDocument && expectedDocument.status >= 400
      ? `Failed to load resource: the server responded with a status of ${expectedDocument.status} `
      : undefined;
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (expectedLog && msg.location().url === expectedDocument?.url && msg.text().startsWith(expectedLog)) return;
    watch.consoleErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => watch.pageErrors.push(err.message));
  page.on('requestfailed', (req) => watch.failedRequests.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`));
  page.on('response', (res) => {
    // The document's own status is checked by the test (404 is right for the 404 page).
    if (res.status() >= 400 && res.request().resourceType() !== 'document')
      watch.failedRequests.push(`${res.url()}: ${res.status()}`);
  });
  return watch;
}

/**
 * Collects securitypolicyviolation events from the first moment of every
 * document in the context. Init scripts run through the DevTools protocol,
 * so the page's own CSP does not apply to them.
 */
export async function recordCspViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const store: string[] = [];
    Object.defineProperty(window, '__cspViolations', { value: store });
    document.addEventListener('securitypolicyviolation', (e) => {
      store.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`,
      );
    });
  });
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => [
    ...((window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ['the CSP recorder is missing']),
  ]);
}

/**
 * Runs axe-core in the page. The page's strict CSP forbids adding a script
 * element; evaluating through the DevTools protocol is not subject to it, so
 * the page is checked exactly as it is served.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: typeof AxeCore }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map(
      (v) =>
        `${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    ` +
        v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`.replace(/\s+/g, ' ')).join('\n    '),
    );
  }, AXE_TAGS);
}

export interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** Elements reaching past the right edge (outside their own scrolling boxes). */
  culprits: string[];
}

export async function horizontalOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const inScrollBox = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const overflowX = getComputedStyle(p).overflowX;
        if (overflowX === 'auto' || overflowX === 'scroll' || overflowX === 'hidden') return true;
      }
      return false;
    };
    const culprits: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= width + 0.5 || inScrollBox(el)) continue;
      culprits.push(
        el.tagName.toLowerCase() +
          (el.id ? `#${el.id}` : '') +
          (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '') +
          ` right=${Math.round(rect.right)}`,
      );
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 10) };
  });
}

/**
 * Boxes that cut off their own content: overflow hidden or clip, and content
 * wider or taller than the box. Visually hidden text (1 px boxes, for screen
 * readers) is meant to be clipped and is left out.
 */
export async function clippedContent(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      const clipsX = style.overflowX === 'hidden' || style.overflowX === 'clip';
      const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      if (!clipsX && !clipsY) continue;
      if (el.clientWidth <= 1 || el.clientHeight <= 1 || !el.checkVisibility({ checkVisibilityCSS: true })) continue;
      if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1)) {
        found.push(
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} shows ` +
            `${el.clientWidth}x${el.clientHeight} of ${el.scrollWidth}x${el.scrollHeight}`,
        );
      }
    }
    return found;
  });
}
