/** `npm run new` as a function: what to print and the exit code. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { planNewPage } from '../content/newPage.js';
import { ukDate } from '../content/publication.js';

const USAGE = 'Usage: npm run new -- <section>/<page-name> "Page title"\n  for example: npm run new -- work-streams/survey-results "Survey results"\n';

export function runNew(args: readonly string[], contentDir: string, now: number, cwd: string): { code: number; out: string; err: string } {
  if (args.length !== 2) return { code: 2, out: '', err: USAGE };
  const [target, title] = args as [string, string];
  const result = planNewPage(target, title, ukDate(now), (rel) => existsSync(path.join(contentDir, rel)));
  if (!result.ok) return { code: 1, out: '', err: `Not created: ${result.message}.\n` };
  const absolute = path.join(contentDir, result.plan.file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  try {
    // "wx": fails if the file appeared since the check above.
    writeFileSync(absolute, result.plan.text, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { code: 1, out: '', err: `Not created: ${result.plan.file} already exists.\n` };
    throw error;
  }
  const shown = path.relative(cwd, absolute) || absolute;
  return {
    code: 0,
    out:
      `Created ${shown}: a draft with the web address ${result.plan.url}.\n` +
      'Next: write the description and the page, preview it with npm run dev, run npm run check,\n' +
      'then delete the line "draft: true" to publish it.\n',
    err: '',
  };
}
