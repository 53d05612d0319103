/**
 * The text in the browser tab: "Page title – Site name". Browsers, search
 * results and screen readers' window lists cut long titles short, and
 * html-validate's recommended rules refuse titles over 70 characters. A page
 * whose own title is long (a document's official name, say) keeps its title
 * whole and drops the site name; the content check warns an editor only when
 * the page title alone is too long.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Page } from './model.js';

export const BROWSER_TITLE_MAX_LENGTH = 70;

export function browserTitle(pageTitle: string, siteName: string): string {
  const full = `${pageTitle} – ${siteName}`;
  return full.length <= BROWSER_TITLE_MAX_LENGTH ? full : pageTitle;
}

export function checkBrowserTitles(pages: readonly Page[], diagnostics: Diagnostic[]): void {
  for (const page of pages) {
    const title = page.frontMatter.title;
    if (title.length <= BROWSER_TITLE_MAX_LENGTH) continue;
    diagnostics.push(
      diagnostic(
        page.source,
        `the title is ${title.length} characters long: browsers and search ` +
          `results cut titles over ${BROWSER_TITLE_MAX_LENGTH} characters short, ` +
          `so shorten it to ${BROWSER_TITLE_MAX_LENGTH} or fewer`,
        page.positions.at(['title']),
        'warning',
      ),
    );
  }
}
