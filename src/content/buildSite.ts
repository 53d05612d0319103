/**
 * Turns the files of a content folder into a validated site model.
 * Pure: no file system, no clock, no globals. Every problem is reported
 * with its file and line; a site is returned only when there are no errors.
 */
import { createMarkdown, renderMarkdown } from '../render/markdown.js';
import { checkBrowserTitles } from './browserTitle.js';
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { splitFrontMatter } from './frontMatter.js';
import { checkLinks } from './links.js';
import type { Page, PageRole, SiteModel } from './model.js';
import { buildNavigation } from './navigation.js';
import { substitutePlaceholders } from './placeholders.js';
import { pageFrontMatterSchema, siteSettingsSchema, type SiteSettings } from './schema.js';
import { validateYaml } from './validate.js';
import { parseYaml } from './yaml.js';
import type { ContentEntry, ContentFolder } from './readContentFolder.js';

export const SETTINGS_FILE = 'site.yml';
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SPECIAL_PAGES: Record<string, PageRole> = { '404.md': 'notFound', '500.md': 'serverError' };

export interface BuildResult {
  site: SiteModel | null;
  diagnostics: Diagnostic[];
}

export function buildSite(folder: ContentFolder): BuildResult {
  const diagnostics: Diagnostic[] = [];
  const settings = loadSettings(folder.entries, diagnostics);

  for (const entry of folder.entries) {
    if (entry.kind === 'symlink') {
      diagnostics.push(diagnostic(entry.path, 'symbolic links are not allowed in the content folder: replace the link with the real file'));
    } else if (entry.kind === 'other') {
      diagnostics.push(diagnostic(entry.path, 'this is not a regular file: remove it from the content folder'));
    }
  }

  const md = createMarkdown();
  const pages: Page[] = [];
  for (const entry of folder.entries) {
    if (entry.kind !== 'file' || !entry.path.endsWith('.md')) continue;
    const page = loadPage(entry, settings, md, diagnostics);
    if (page) pages.push(page);
  }

  const routable = new Map<string, Page>();
  let notFoundPage: Page | undefined;
  let serverErrorPage: Page | undefined;
  for (const page of pages) {
    if (page.role === 'notFound') notFoundPage = page;
    else if (page.role === 'serverError') serverErrorPage = page;
    else if (page.frontMatter.draft) continue;
    else {
      const existing = routable.get(page.url);
      if (existing) {
        diagnostics.push(diagnostic(page.source, `this page has the same web address (${page.url}) as ${existing.source}: rename or remove one of them`));
      } else {
        routable.set(page.url, page);
      }
    }
  }
  if (pages.length > 0 && !routable.has('/')) {
    diagnostics.push(diagnostic('index.md', 'the site has no home page: add index.md at the top of the content folder'));
  }
  if (!notFoundPage) {
    diagnostics.push(diagnostic('404.md', 'the site has no "page not found" page: add 404.md at the top of the content folder'));
  }

  const navigation = buildNavigation([...routable.values()], diagnostics);
  checkLinks([...routable.values(), ...[notFoundPage, serverErrorPage].filter((p): p is Page => !!p)], routable, diagnostics);

  if (settings) checkBrowserTitles(pages, settings, diagnostics);

  const sorted = sortDiagnostics(diagnostics);
  if (!settings || hasErrors(sorted)) return { site: null, diagnostics: sorted };
  return {
    site: { settings, pages: routable, notFoundPage, serverErrorPage, navigation },
    diagnostics: sorted,
  };
}

function loadSettings(entries: readonly ContentEntry[], diagnostics: Diagnostic[]): SiteSettings | null {
  const entry = entries.find((e) => e.path === SETTINGS_FILE && e.kind === 'file');
  if (!entry?.bytes) {
    diagnostics.push(diagnostic(SETTINGS_FILE, `the site settings file is missing: add ${SETTINGS_FILE} at the top of the content folder`));
    return null;
  }
  const parsed = parseYaml(decodeText(entry.bytes));
  if (!parsed.ok) {
    for (const p of parsed.problems) diagnostics.push(diagnostic(SETTINGS_FILE, p.message, p));
    return null;
  }
  const result = validateYaml(siteSettingsSchema, parsed.value, SETTINGS_FILE);
  if (!result.ok) {
    diagnostics.push(...result.diagnostics.map((d) => ({ ...d, message: d.message.replace(/^the front matter/, 'the settings') })));
    return null;
  }
  return result.value;
}

function loadPage(
  entry: ContentEntry,
  settings: SiteSettings | null,
  md: ReturnType<typeof createMarkdown>,
  diagnostics: Diagnostic[],
): Page | null {
  const file = entry.path;
  const role = SPECIAL_PAGES[file] ?? 'page';
  const url = role === 'page' ? urlForSource(file, diagnostics) : `/${file.replace(/\.md$/, '')}/`;
  const split = splitFrontMatter(decodeText(entry.bytes ?? Buffer.alloc(0)));
  if (!split.ok) {
    for (const p of split.problems) diagnostics.push(diagnostic(file, p.message, p));
    return null;
  }
  const { frontMatter, body, bodyLineOffset } = split.value;
  const validated = validateYaml(pageFrontMatterSchema, frontMatter, file);
  if (!validated.ok) {
    diagnostics.push(...validated.diagnostics);
    return null;
  }
  if (!settings || url === null) return null;
  const substituted = substitutePlaceholders(body, settings, file, bodyLineOffset);
  diagnostics.push(...substituted.diagnostics);
  const rendered = renderMarkdown(md, substituted.body, bodyLineOffset);
  checkHeadings(file, rendered.headings, diagnostics);
  return {
    source: file,
    url,
    role,
    frontMatter: validated.value,
    bodyHtml: rendered.html,
    headings: rendered.headings,
    links: rendered.links,
  };
}

/** content/work-streams/kpi.md → /work-streams/kpi/; index.md stands for its folder. */
export function urlForSource(file: string, diagnostics: Diagnostic[]): string | null {
  const segments = file.replace(/\.md$/, '').split('/');
  if (segments[segments.length - 1] === 'index') segments.pop();
  for (const segment of segments) {
    if (!SLUG.test(segment)) {
      diagnostics.push(
        diagnostic(file, `"${segment}" cannot be part of a web address: rename it using lowercase letters, digits and hyphens (for example "${suggestSlug(segment)}")`),
      );
      return null;
    }
  }
  return segments.length === 0 ? '/' : `/${segments.join('/')}/`;
}

function suggestSlug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'page'
  );
}

function checkHeadings(file: string, headings: readonly { level: number; line: number }[], diagnostics: Diagnostic[]): void {
  let previous = 1;
  for (const h of headings) {
    if (h.level === 1) {
      diagnostics.push(diagnostic(file, 'the page title is already the main heading: start body headings at "##"', { line: h.line }, 'warning'));
    } else if (h.level > previous + 1) {
      diagnostics.push(diagnostic(file, `heading level ${h.level} follows level ${previous}: do not skip heading levels`, { line: h.line }, 'warning'));
    }
    previous = h.level;
  }
}

function decodeText(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
