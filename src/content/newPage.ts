/**
 * `npm run new`: the text and place of a new page, checked before anything is
 * written. Pure, so every refusal can be tested; the CLI does the writing.
 */
import { DOCUMENTS_FOLDER, documentIdForSource } from './documents.js';
import { splitFrontMatter } from './frontMatter.js';
import type { ContentEntry } from './readContentFolder.js';
import { SLUG } from './schema.js';
import { addOneYear } from './publication.js';
import { pageFrontMatterSchema } from './schema.js';

/** Left in place by a new page; `npm run check` warns until it is replaced. */
export const NEW_PAGE_DESCRIPTION = 'Write one sentence saying what this page is about.';
/** Left in place by a new document; `npm run check` warns until it is replaced. */
export const NEW_DOCUMENT_SUMMARY =
  'Write one or two sentences saying what this document is, shown under its title and in the documents list.';
/** The category a new document gets when no document has one yet. */
export const NEW_DOCUMENT_CATEGORY = 'Reports';

export interface NewPagePlan {
  /** Path relative to the content folder. */
  file: string;
  url: string;
  text: string;
  /** A document's folder and index.md, or an ordinary page. */
  kind: 'page' | 'document';
}

export type NewPageResult = { ok: true; plan: NewPagePlan } | { ok: false; message: string };

export function planNewPage(
  target: string,
  title: string,
  today: string,
  exists: (relativePath: string) => boolean,
  /** The categories of the documents there are, most used first: a new document takes the first. */
  documentCategories: readonly string[] = [],
): NewPageResult {
  const cleaned = target
    .trim()
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.md$/, '');
  const segments = cleaned.split('/');
  if (cleaned === '' || segments.some((s) => !SLUG.test(s))) {
    const bad = segments.find((s) => !SLUG.test(s)) ?? '';
    const why = bad ? ` ("${bad}" is not allowed)` : '';
    return fail(
      `"${target}" cannot be a web address: use lowercase letters, digits and ` +
        `hyphens, with "/" between a section and a page, for example work-streams/new-page${why}`,
    );
  }
  const isIndex = segments[segments.length - 1] === 'index';
  const folders = segments.slice(0, -1);
  if (isIndex && folders.length === 0)
    return fail('the home page already has its place (index.md): choose another name');
  const file = `${segments.join('/')}.md`;
  const url = `/${(isIndex ? folders : segments).join('/')}/`;

  const titleCheck = pageFrontMatterSchema.shape.title.safeParse(title);
  if (!titleCheck.success)
    return fail(
      `the title ${titleCheck.error.issues[0]!.message}: write it in quotes, for example "Maternity survey results"`,
    );
  // documents/<id> is a document: a folder of its own, with an index.md and the files it offers.
  if (segments.length === 2 && segments[0] === DOCUMENTS_FOLDER && !isIndex)
    return planNewDocument(segments[1]!, titleCheck.data, today, exists, documentCategories);

  // The same web address can come from two files: x.md and x/index.md.
  const urlPath = url.slice(1, -1);
  for (const candidate of [`${urlPath}.md`, `${urlPath}/index.md`]) {
    if (exists(candidate))
      return fail(`${candidate} already exists and has the web address ${url}: choose another name, or edit that file`);
  }
  // A page belongs to a section that has its own page (except at the top).
  const parentFolder = (isIndex ? folders.slice(0, -1) : folders).join('/');
  if (parentFolder !== '' && !exists(`${parentFolder}/index.md`)) {
    return fail(
      `there is no section "${parentFolder}" yet: create its page first with ` +
        `npm run new -- ${parentFolder}/index "Section title"`,
    );
  }

  const text = [
    '---',
    `title: ${JSON.stringify(titleCheck.data)}`,
    `description: ${JSON.stringify(NEW_PAGE_DESCRIPTION)}`,
    '# Visitors cannot see a draft. Delete the next line to publish the page.',
    'draft: true',
    `lastReviewed: ${today}`,
    `nextReviewDue: ${addOneYear(today)}`,
    '---',
    '',
    'Write the page here. Start headings at "##", for example:',
    '',
    '## What the project found',
    '',
  ].join('\n');
  return { ok: true, plan: { file, url, text, kind: 'page' } };
}

function planNewDocument(
  id: string,
  title: string,
  today: string,
  exists: (relativePath: string) => boolean,
  categories: readonly string[],
): NewPageResult {
  const folder = `${DOCUMENTS_FOLDER}/${id}`;
  const file = `${folder}/index.md`;
  for (const taken of [file, `${folder}.md`]) {
    if (exists(taken))
      return fail(
        `${taken} already exists and has the web address /${folder}/: choose another name, or edit that file`,
      );
  }
  if (!exists(`${DOCUMENTS_FOLDER}/index.md`)) {
    return fail(
      'there is no documents section yet: create its page first with ' +
        `npm run new -- ${DOCUMENTS_FOLDER}/index "Documents"`,
    );
  }
  const category = categories[0] ?? NEW_DOCUMENT_CATEGORY;
  const others = categories.length > 1 ? `${categories.join(', ')}, or a new one` : `${category}, or a new one`;
  const text = [
    '---',
    `title: ${JSON.stringify(title)}`,
    `description: ${JSON.stringify(NEW_PAGE_DESCRIPTION)}`,
    `summary: ${JSON.stringify(NEW_DOCUMENT_SUMMARY)}`,
    `# The group the documents list shows it in: ${others}.`,
    `category: ${JSON.stringify(category)}`,
    '# The day the document goes on the site: when you publish it, change this to that day.',
    `published: ${today}`,
    '# Visitors cannot see a draft. Delete the next line to publish the document.',
    'draft: true',
    `# Put each file in the folder content/${folder}/, then replace [] with a list of them, for example:`,
    '# files:',
    '#   - file: report-2026.pdf',
    '#     title: "the report"',
    'files: []',
    '---',
    '',
    'Write here what the document is and who it is for.',
    '',
    'For a PDF, put its text here too: most people find a web page easier to read than a PDF.',
    '',
  ].join('\n');
  return { ok: true, plan: { file, url: `/${folder}/`, text, kind: 'document' } };
}

/** The categories of the documents in a content folder, most used first (then alphabetically). */
export function documentCategories(entries: readonly ContentEntry[]): string[] {
  const found: unknown[] = [];
  for (const entry of entries) {
    if (entry.kind !== 'file' || !entry.bytes || documentIdForSource(entry.path) === null) continue;
    const split = splitFrontMatter(entry.bytes.toString('utf8'));
    if (split.ok) found.push((split.value.frontMatter.data as { category?: unknown } | null)?.category);
  }
  return rankCategories(found);
}

/** Categories by how many documents use each, most used first (then alphabetically); values not text are left out. */
export function rankCategories(categories: Iterable<unknown>): string[] {
  const counts = new Map<string, number>();
  for (const category of categories) {
    if (typeof category === 'string' && category.trim() !== '')
      counts.set(category.trim(), (counts.get(category.trim()) ?? 0) + 1);
  }
  return [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b, 'en')).map(([category]) => category);
}

function fail(message: string): NewPageResult {
  return { ok: false, message };
}
