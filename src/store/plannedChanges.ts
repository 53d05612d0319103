/**
 * A plan of content changes (content/movePage.ts) as the store's changes,
 * each with the version it expects to find, so that applying it refuses to
 * overwrite anything that changed since the plan was made.
 */
import type { PlannedChange } from '../content/movePage.js';
import { versionOf, type FileChange, type Version } from './contentStore.js';

/** `bytesAt` gives a file's bytes as planned against (null: absent). */
export function storeChanges(
  planned: readonly PlannedChange[],
  bytesAt: (path: string) => Buffer | null,
): FileChange[] {
  const version = (path: string): Version | null => {
    const bytes = bytesAt(path);
    return bytes === null ? null : versionOf(bytes);
  };
  return planned.map((change): FileChange => {
    if (change.kind === 'move')
      return { kind: 'move', from: change.from, to: change.to, expectedVersion: version(change.from)! };
    // A moved page is written at its new place over the bytes the move brought there.
    return {
      kind: 'write',
      path: change.path,
      bytes: change.bytes,
      expectedVersion: version(change.from ?? change.path),
    };
  });
}

/** The content as it would be after the changes, for checking: new bytes by path, null for a file gone. */
export function changedContent(
  planned: readonly PlannedChange[],
  bytesAt: (path: string) => Buffer | null,
): Map<string, Buffer | null> {
  const result = new Map<string, Buffer | null>();
  const current = (path: string) => (result.has(path) ? result.get(path)! : bytesAt(path));
  for (const change of planned) {
    if (change.kind === 'move') {
      result.set(change.to, current(change.from));
      result.set(change.from, null);
    } else result.set(change.path, change.bytes);
  }
  return result;
}
