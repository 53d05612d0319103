/**
 * `npm run move` as a function: what to print and the exit code. The move is
 * planned (content/movePage.ts), the content as it would be is checked like
 * `npm run check` does, and only then written, all at once, through the
 * content store.
 */
import { hasErrors, type Diagnostic } from '../content/diagnostics.js';
import { ContentLoader } from '../content/loadContent.js';
import { planMove } from '../content/movePage.js';
import { StoreConflictError, type ContentStore } from '../store/contentStore.js';
import { changedContent, storeChanges } from '../store/plannedChanges.js';
import { formatReport } from './report.js';

const USAGE =
  'Usage: npm run move -- <old> <new>\n' +
  '  <old> is a page file or address, <new> its new address, for example:\n' +
  '  npm run move -- work-streams/survey.md work-streams/survey-results\n' +
  '  npm run move -- /regional-projects/ /projects/        (a section moves with its pages)\n';

export async function runMove(
  args: readonly string[],
  store: ContentStore,
  now: number,
  shownRoot: string,
): Promise<{ code: number; out: string; err: string }> {
  if (args.length !== 2) return { code: 2, out: '', err: USAGE };
  const loader = new ContentLoader(store);
  const loaded = await loader.load('all', now);
  if (!loaded.folder) return { code: 1, out: '', err: formatReport(loaded.build.diagnostics, shownRoot) };
  const entries = new Map(loaded.folder.entries.map((e) => [e.path, e.bytes ?? null]));
  const bytesAt = (path: string) => entries.get(path) ?? null;
  const pages = loaded.build.sourcePages.map((s) => s.page);
  const result = planMove({ entries: loaded.folder.entries, pages }, args[0]!, args[1]!);
  if (!result.ok) return { code: 1, out: '', err: `Not moved: ${result.message}.\n` };
  const { plan } = result;

  // The content as it would be: any error the move would cause stops it.
  const key = (d: Diagnostic) => `${d.file}:${d.message}`;
  const before = new Set(loaded.build.diagnostics.filter((d) => d.severity === 'error').map(key));
  const after = loader.validateChanges(changedContent(plan.changes, bytesAt), now).diagnostics;
  const caused = after.filter((d) => d.severity === 'error' && !before.has(key(d)));
  if (hasErrors(caused))
    return {
      code: 1,
      out: '',
      err: `${formatReport(caused, shownRoot)}Not moved: the move would cause the errors above. Nothing was changed.\n`,
    };
  try {
    await store.applyChanges(storeChanges(plan.changes, bytesAt), {
      message: `Move ${plan.from} to ${plan.to}`,
    });
  } catch (error) {
    if (error instanceof StoreConflictError)
      return { code: 1, out: '', err: `Not moved: ${error.message}. Nothing was changed; try again.\n` };
    throw error;
  }
  const moved = plan.changes.filter((c) => c.kind === 'move');
  const lines = [
    `Moved ${plan.from} to ${plan.to}${moved.length > 1 ? ` (${moved.length} files)` : ''}.`,
    ...plan.redirects.map((r) => `  ${r.from} now leads to ${r.to} (a permanent redirect, kept in formerAddresses)`),
    'Run npm run check, then publish the change the way your team does.',
  ];
  return { code: 0, out: `${lines.join('\n')}\n`, err: '' };
}
