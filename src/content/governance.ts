/**
 * Content governance for `npm run check`: the things that keep a site
 * trustworthy over years rather than correct today. Pages overdue for review
 * or never reviewed, pages nobody can reach, files nothing uses, and the
 * drafts and scheduled pages waiting to go live.
 *
 * Pure: the folder, the build and today's date go in; findings come out.
 * Other modules (documents, for example) declare the files they use through
 * `UsedFilesContributor`s, so that their files are not reported as unused.
 */
import type { BuildResult, SourcePage } from './buildSite.js';
import { SETTINGS_FILE } from './buildSite.js';
import { formatLongDate } from './dates.js';
import { usedImageSources } from './images.js';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { NavNode } from './model.js';
import { NEW_DOCUMENT_SUMMARY, NEW_PAGE_DESCRIPTION } from './newPage.js';
import { WORD_LIST_FILE } from './plainEnglish.js';
import type { ContentFolder } from './readContentFolder.js';

export interface GovernanceContext {
  folder: ContentFolder;
  build: BuildResult;
}

/** Names content files (relative paths) that some feature uses, beyond pages and links. */
export type UsedFilesContributor = (context: GovernanceContext) => Iterable<string>;

/** The files each document folder declares (drafts' too): they are downloads, linked from the document's page. */
export const documentFiles: UsedFilesContributor = ({ build }) =>
  build.preview ? [...build.preview.library.documents.values()].flatMap((d) => d.files.map((f) => f.source)) : [];

/** The image files pages show (drafts' too). */
export const imageFiles: UsedFilesContributor = ({ build }) => usedImageSources(build.sourcePages.map((s) => s.page));

/** Files every site uses by definition, and the features' own: a feature that uses files adds its contributor here. */
const contributors: readonly UsedFilesContributor[] = [
  () => [SETTINGS_FILE, WORD_LIST_FILE],
  documentFiles,
  imageFiles,
];

export interface GovernanceOptions {
  /** Today's date in the UK, YYYY-MM-DD. */
  today: string;
  /** Overdue reviews become errors (for CI that should block). */
  strict?: boolean;
  /** Replaces the built-in contributors (tests). */
  usedFiles?: readonly UsedFilesContributor[];
}

export interface GovernanceReport {
  diagnostics: Diagnostic[];
  drafts: SourcePage[];
  /** Pages with a publishDate or expiryDate (drafts excluded). */
  scheduled: SourcePage[];
}

export function reviewContent(context: GovernanceContext, options: GovernanceOptions): GovernanceReport {
  const { folder, build } = context;
  const diagnostics: Diagnostic[] = [];

  // Reviews: only for pages visitors see now or will see; placeholders everywhere.
  for (const { page, state } of build.sourcePages) {
    const fm = page.frontMatter;
    if (fm.description === NEW_PAGE_DESCRIPTION) {
      diagnostics.push(
        diagnostic(
          page.source,
          'the description is still the example from npm run new: write one sentence saying what this page is about',
          page.positions.at(['description']),
          'warning',
        ),
      );
    }
    if (page.document?.summary === NEW_DOCUMENT_SUMMARY) {
      diagnostics.push(
        diagnostic(
          page.source,
          'the summary is still the example from npm run new: write one or two sentences saying what this ' +
            'document is',
          page.positions.at(['summary']),
          'warning',
        ),
      );
    }
    // Documents are dated publications (published, updated), not reviewed pages.
    if (page.role !== 'page' || page.documentId !== undefined || state === 'draft' || state === 'expired') continue;
    if (!fm.lastReviewed) {
      diagnostics.push(
        diagnostic(
          page.source,
          'the page has no "lastReviewed" date: once someone has checked it is ' +
            'right, add "lastReviewed: YYYY-MM-DD" and a "nextReviewDue" date',
          {},
          'warning',
        ),
      );
    }
    if (fm.nextReviewDue && fm.nextReviewDue < options.today) {
      diagnostics.push(
        diagnostic(
          page.source,
          `the review was due on ${formatLongDate(fm.nextReviewDue)}: check the ` +
            `page is still right, then set "lastReviewed" to today and ` +
            `"nextReviewDue" to the next review date`,
          page.positions.at(['nextReviewDue']),
          options.strict ? 'error' : 'warning',
        ),
      );
    }
  }

  // The addresses a link may rescue from being reported below: pages outside the navigation and the footer, and
  // content files nothing else uses. Only links to these are gathered (a site has few, and links by the thousand).
  const candidates = new Set<string>();
  const linked = new Map<string, Set<string>>();
  const gatherLinks = () => {
    if (candidates.size === 0) return;
    for (const { page } of build.sourcePages) {
      for (const link of page.links) {
        if (link.target.kind !== 'path' || !candidates.has(link.target.pathname)) continue;
        const target = link.target.pathname;
        let from = linked.get(target);
        if (!from) linked.set(target, (from = new Set()));
        from.add(page.source);
      }
    }
  };

  if (build.site) {
    const inNavigation = new Set<string>();
    const walk = (nodes: readonly NavNode[]) => {
      for (const n of nodes) {
        inNavigation.add(n.url);
        walk(n.children);
      }
    };
    walk(build.site.navigation);
    const footer = new Set(build.site.settings.footerLinks.map((l) => l.href.split(/[?#]/)[0]!));
    const unlisted = [...build.site.pages.values()].filter(
      (page) => page.url !== '/' && !inNavigation.has(page.url) && !footer.has(page.url),
    );
    for (const page of unlisted) candidates.add(page.url);
    gatherLinks();
    // Links count from published pages and from the 404 and 500 pages, not from drafts.
    const published = new Set(
      unlisted.length === 0
        ? []
        : [...build.site.pages.values(), build.site.notFoundPage, build.site.serverErrorPage]
            .filter((p) => p !== undefined)
            .map((p) => p.source),
    );
    for (const page of unlisted) {
      const from = [...(linked.get(page.url) ?? [])].filter(
        (source) => source !== page.source && published.has(source),
      );
      if (from.length === 0) {
        diagnostics.push(
          diagnostic(
            page.source,
            'nobody can find this page: it is hidden from the navigation and no ' +
              'published page links to it. Link to it from another page, or remove ' +
              '"hidden: true"',
            {},
            'warning',
          ),
        );
      }
    }
  }

  // Only a valid site knows what it uses: a broken one would report every download.
  const used = new Set<string>();
  if (build.site)
    for (const contributor of options.usedFiles ?? contributors)
      for (const file of contributor(context)) used.add(file);
  const unused = (build.site ? folder.entries : []).filter(
    (entry) => entry.kind === 'file' && !entry.path.endsWith('.md') && !used.has(entry.path),
  );
  if (unused.length > 0) {
    candidates.clear();
    linked.clear();
    for (const entry of unused) candidates.add(`/${entry.path}`);
    gatherLinks();
  }
  for (const entry of unused) {
    if (linked.has(`/${entry.path}`)) continue;
    diagnostics.push(
      diagnostic(entry.path, 'nothing uses this file: link to it from a page, or delete it', {}, 'warning'),
    );
  }

  const pages = build.sourcePages.filter((s) => s.page.role === 'page');
  return {
    diagnostics,
    drafts: pages.filter((s) => s.state === 'draft'),
    scheduled: pages.filter(
      (s) => s.state !== 'draft' && (s.page.frontMatter.publishDate || s.page.frontMatter.expiryDate),
    ),
  };
}
