/**
 * The text in the browser tab: "Page title – Site name". Browsers, search
 * results and screen readers' window lists cut long titles short, and
 * html-validate's recommended rules refuse titles over 70 characters, so the
 * content check warns an editor before a page goes out with one.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Page } from './model.js';
import type { SiteSettings } from './schema.js';

export const BROWSER_TITLE_MAX_LENGTH = 70;

export function browserTitle(pageTitle: string, siteName: string): string {
  return `${pageTitle} – ${siteName}`;
}

export function checkBrowserTitles(pages: readonly Page[], settings: SiteSettings, diagnostics: Diagnostic[]): void {
  for (const page of pages) {
    const text = browserTitle(page.frontMatter.title, settings.name);
    if (text.length <= BROWSER_TITLE_MAX_LENGTH) continue;
    const spare = BROWSER_TITLE_MAX_LENGTH - browserTitle('', settings.name).length;
    diagnostics.push(
      diagnostic(
        page.source,
        `the browser title "${text}" is ${text.length} characters long, more than ${BROWSER_TITLE_MAX_LENGTH}: shorten the title to ${spare} characters or fewer (or shorten "name" in site.yml)`,
        {},
        'warning',
      ),
    );
  }
}
