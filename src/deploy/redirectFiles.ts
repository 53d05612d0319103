/**
 * Moved pages in the static export, where no server answers with a 301:
 *
 * - `_redirects`, the redirect list that Netlify and Cloudflare Pages read
 *   (real 301s there);
 * - at each old page address, a small page that sends the browser on at once
 *   (`<meta http-equiv="refresh">`, which the Content-Security-Policy allows)
 *   and names the page with a link, for any other static host. Search
 *   engines treat such an instant refresh as a permanent move;
 * - the nginx configuration (nginxConfig.ts) answers them with a real 301.
 *
 * Old addresses of other files (a moved document's PDF, say) get no page: a
 * host would serve HTML under a .pdf name. They work on nginx and on hosts
 * that read `_redirects`.
 */
import { HTML_FILE } from '../content/redirects.js';
import { HTML } from '../render/renderedSite.js';
import type { RenderedSite } from '../render/renderedSite.js';

/** The file Netlify and Cloudflare Pages read their redirects from. */
export const REDIRECTS_FILE = '_redirects';

/**
 * What these hosts read as a pattern, not as the address: a splat (*) or a placeholder (a part starting ":").
 * "/:old/" would match every address one folder deep, and Cloudflare follows a redirect even where a file exists,
 * so such an address is left out of the list (its refresh page, nginx and the app still answer it).
 */
const PATTERN = /\*|\/:/;

export interface RedirectFile {
  file: string;
  contentType: string;
  body: Buffer;
}

/** The files the export writes for the site's redirects: the list, and a page at each old page address. */
export function redirectFiles(site: RenderedSite, fileForUrl: (url: string) => string): RedirectFile[] {
  const redirects = [...site.model.redirects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (redirects.length === 0) return [];
  const lines: string[] = [];
  const files: RedirectFile[] = [];
  for (const [from, to] of redirects) {
    if (!PATTERN.test(from) && !PATTERN.test(to)) {
      lines.push(`${encodeURI(from)} ${encodeURI(to)} 301`);
      if (from.endsWith('/') && from.length > 1) lines.push(`${encodeURI(from.slice(0, -1))} ${encodeURI(to)} 301`);
    }
    const page = pageFileFor(from, fileForUrl);
    if (page) files.push({ file: page, contentType: HTML, body: Buffer.from(redirectPage(site, to)) });
  }
  files.push({
    file: REDIRECTS_FILE,
    contentType: 'text/plain; charset=utf-8',
    body: Buffer.from(`${lines.join('\n')}\n`),
  });
  return files;
}

/** Where the page for an old address goes: /old/ and /old are old/index.html, /old.html is itself; others none. */
function pageFileFor(from: string, fileForUrl: (url: string) => string): string | null {
  if (from.endsWith('/')) return fileForUrl(from);
  if (HTML_FILE.test(from)) return fileForUrl(from);
  if (!/\.[A-Za-z0-9]+$/.test(from.slice(from.lastIndexOf('/')))) return fileForUrl(`${from}/`);
  return null;
}

/** A page that sends the browser straight on, in the site's language, named by the page it leads to. */
export function redirectPage(site: RenderedSite, to: string): string {
  const model = site.model;
  const page = model.pages.get(to);
  const title = page ? page.frontMatter.title : to;
  const href = escapeHtml(encodeURI(to));
  return `<!DOCTYPE html>
<html lang="${escapeHtml(model.settings.language)}">
<head>
  <meta charset="utf-8">
  <title>${escapeHtml(title)}</title>
  <meta name="robots" content="noindex">
  <meta http-equiv="refresh" content="0; url=${href}">
  <link rel="canonical" href="${href}">
</head>
<body>
  <p><a href="${href}">${escapeHtml(title)}</a></p>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
