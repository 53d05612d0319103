/**
 * Saving several files as one change (a document and its new file, a page
 * moved with its pictures): checked like `npm run check` as the content would
 * be, refused with the problems if they add any error, otherwise written as
 * one commit over the versions they were planned against, and the site
 * reloaded before the answer, so the next page shows it.
 */
import type { Diagnostic } from '../../content/diagnostics.js';
import type { LiveSite } from '../../live/liveSite.js';
import { StoreConflictError, changedPaths, type ContentStore, type FileChange } from '../../store/contentStore.js';

export interface ChangeSet {
  changes: readonly FileChange[];
  /** The content as it would be: new bytes by path, null for a file gone. */
  content: ReadonlyMap<string, Buffer | null>;
  author: { name: string; email: string };
  message: string;
}

export type ChangesOutcome =
  | { kind: 'saved' }
  /** Refused: the errors the changes would cause, and advice on the files they touch. */
  | { kind: 'invalid'; diagnostics: Diagnostic[] }
  /** Someone changed one of the files since: nothing was written. */
  | { kind: 'conflict'; file: string };

export async function saveChanges(
  deps: { store: ContentStore; live: LiveSite },
  set: ChangeSet,
): Promise<ChangesOutcome> {
  const touched = new Set(changedPaths(set.changes));
  const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}:${d.message}`;
  const before = new Set(deps.live.previewStatus().diagnostics.map(key));
  const diagnostics = deps.live
    .validateChanges(set.content)
    .filter((d) => touched.has(d.file) || (d.severity === 'error' && !before.has(key(d))));
  if (diagnostics.some((d) => d.severity === 'error')) return { kind: 'invalid', diagnostics };
  try {
    await deps.store.applyChanges(set.changes, { author: set.author, message: set.message });
  } catch (error) {
    if (error instanceof StoreConflictError) return { kind: 'conflict', file: error.path };
    throw error;
  }
  await deps.live.reload({ content: [...touched], reason: 'editor change' });
  return { kind: 'saved' };
}
