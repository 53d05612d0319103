/**
 * `npm run new`: the text and place of a new page, checked before anything is
 * written. Pure, so every refusal can be tested; the CLI does the writing.
 */
import { SLUG } from './schema.js';
import { addOneYear } from './publication.js';
import { pageFrontMatterSchema } from './schema.js';

/** Left in place by a new page; `npm run check` warns until it is replaced. */
export const NEW_PAGE_DESCRIPTION = 'Write one sentence saying what this page is about.';

export interface NewPagePlan {
  /** Path relative to the content folder. */
  file: string;
  url: string;
  text: string;
}

export type NewPageResult = { ok: true; plan: NewPagePlan } | { ok: false; message: string };

export function planNewPage(
  target: string,
  title: string,
  today: string,
  exists: (relativePath: string) => boolean,
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
  return { ok: true, plan: { file, url, text } };
}

function fail(message: string): NewPageResult {
  return { ok: false, message };
}
