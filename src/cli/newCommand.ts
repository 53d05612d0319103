/** `npm run new` as a function: what to print and the exit code. It writes through the content store. */
import path from 'node:path';
import { documentCategories, planNewPage } from '../content/newPage.js';
import { ukDate } from '../content/publication.js';
import { StoreConflictError, type ContentStore } from '../store/contentStore.js';

const USAGE =
  'Usage: npm run new -- <section>/<page-name> "Page title"\n  for ' +
  'example: npm run new -- work-streams/survey-results "Survey results"\n' +
  '   or: npm run new -- documents/<document-name> "Document title", for a document and its files\n';

export async function runNew(
  args: readonly string[],
  store: ContentStore,
  now: number,
  cwd: string,
): Promise<{ code: number; out: string; err: string }> {
  if (args.length !== 2) return { code: 2, out: '', err: USAGE };
  const [target, title] = args as [string, string];
  const entries = (await store.readAll()).entries;
  const existing = new Set(entries.map((e) => e.path));
  const result = planNewPage(target, title, ukDate(now), (rel) => existing.has(rel), documentCategories(entries));
  if (!result.ok) return { code: 1, out: '', err: `Not created: ${result.message}.\n` };
  try {
    // A null version: refused if the file appeared since the check above.
    await store.write(result.plan.file, Buffer.from(result.plan.text), {
      expectedVersion: null,
      message: `Create ${result.plan.file}`,
    });
  } catch (error) {
    if (error instanceof StoreConflictError)
      return { code: 1, out: '', err: `Not created: ${result.plan.file} already exists.\n` };
    throw error;
  }
  const absolute = path.join(store.root, result.plan.file);
  const shown = path.relative(cwd, absolute) || absolute;
  if (result.plan.kind === 'document') {
    const folder = path.dirname(shown);
    return {
      code: 0,
      out:
        `Created ${shown}: a draft document with the web address ${result.plan.url}.\n` +
        `Next: put its files in ${folder}${path.sep}, list each one under "files:" in index.md, write the\n` +
        'description, the summary and the page, preview it with npm run dev, run npm run check,\n' +
        'then delete the line "draft: true" to publish it.\n',
      err: '',
    };
  }
  return {
    code: 0,
    out:
      `Created ${shown}: a draft with the web address ${result.plan.url}.\n` +
      'Next: write the description and the page, preview it with npm run dev, run npm run check,\n' +
      'then delete the line "draft: true" to publish it.\n',
    err: '',
  };
}
