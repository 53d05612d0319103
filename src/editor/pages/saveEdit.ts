/**
 * Saving an edit, whatever form it came from (the page's form, the
 * whole-file editor, a restore): check it with the same validation as
 * `npm run check`, write it through the content store over the version it
 * was opened from, and reload the site so that the change is public at once.
 *
 * When someone else saved the page since it was opened, the two edits are
 * merged if they touch different lines; otherwise nothing is written and
 * the text is returned as a conflict for its author to resolve, with both
 * texts shown. Nobody's text is ever overwritten silently.
 */
import { hasErrors, type Diagnostic } from '../../content/diagnostics.js';
import type { LiveSite } from '../../live/liveSite.js';
import { StoreConflictError, versionOf, type ContentStore, type Version } from '../../store/contentStore.js';
import { mergeTexts } from './merge.js';

export interface SaveRequest {
  file: string;
  /** The whole file as submitted. */
  text: string;
  /** The version the form was opened from; null for a file that must not exist yet. */
  openedVersion: Version | null;
  author: { name: string; email: string };
  message: string;
}

export type SaveOutcome =
  /** Refused: the text has errors (in this file, or new ones in another file it would cause). */
  | { kind: 'invalid'; text: string; diagnostics: Diagnostic[] }
  | { kind: 'saved'; version: Version; merged: boolean; text: string; warnings: Diagnostic[] }
  /** Not written: someone else changed the same lines, or removed the page. */
  | { kind: 'conflict'; mine: string; theirs: string | null; theirVersion: Version | null };

/**
 * Where a save is written: the content store (published at once), or a
 * change waiting for review (review/pendingChanges.ts), which reads and
 * writes the same way.
 */
export type SaveTarget = Pick<ContentStore, 'read' | 'write' | 'history' | 'readAt'>;

export interface SaveDependencies {
  store: SaveTarget;
  live: LiveSite;
  /** False when the target is not the published content: nothing to reload. */
  reloads?: boolean;
}

export async function saveEdit(deps: SaveDependencies, request: SaveRequest): Promise<SaveOutcome> {
  // One retry: a save that lands between our read and our write is merged like any other.
  for (let attempt = 0; ; attempt++) {
    const current = await deps.store.read(request.file);
    let candidate = request.text;
    let merged = false;
    if ((current?.version ?? null) !== request.openedVersion) {
      if (!current) return { kind: 'conflict', mine: request.text, theirs: null, theirVersion: null };
      const base =
        request.openedVersion === null ? null : await findVersion(deps.store, request.file, request.openedVersion);
      const result =
        base === null
          ? ({ clean: false } as const)
          : await mergeTexts(base.toString('utf8'), request.text, current.bytes.toString('utf8'));
      if (!result.clean)
        return {
          kind: 'conflict',
          mine: request.text,
          theirs: current.bytes.toString('utf8'),
          theirVersion: current.version,
        };
      candidate = result.text;
      merged = candidate !== request.text;
    }
    const bytes = Buffer.from(candidate, 'utf8');
    const blocking = blockingDiagnostics(deps.live, request.file, bytes);
    if (hasErrors(blocking)) {
      // A merge that does not validate is a conflict: the person sees both texts.
      if (merged && current)
        return {
          kind: 'conflict',
          mine: request.text,
          theirs: current.bytes.toString('utf8'),
          theirVersion: current.version,
        };
      return { kind: 'invalid', text: candidate, diagnostics: blocking };
    }
    if (current && current.version === versionOf(bytes)) {
      return { kind: 'saved', version: current.version, merged, text: candidate, warnings: blocking };
    }
    try {
      const version = await deps.store.write(request.file, bytes, {
        expectedVersion: current?.version ?? null,
        author: request.author,
        message: request.message,
      });
      if (deps.reloads !== false) await deps.live.reload({ content: [request.file], reason: 'editor save' });
      return { kind: 'saved', version, merged, text: candidate, warnings: blocking };
    } catch (error) {
      if (error instanceof StoreConflictError && attempt === 0) continue;
      throw error;
    }
  }
}

/**
 * The diagnostics that decide a save: every problem in the file itself, and
 * errors elsewhere that the change would cause (a broken link to this page,
 * say). Errors another file already had do not stop this one being saved.
 */
export function blockingDiagnostics(live: LiveSite, file: string, bytes: Buffer): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}:${d.severity}:${d.message}`;
  const before = new Set(live.previewStatus().diagnostics.map(key));
  return live
    .validateEdit(file, bytes)
    .filter((d) => d.file === file || (d.severity === 'error' && !before.has(key(d))));
}

/** The bytes of an earlier version of a file, found by its version in the file's history. */
export async function findVersion(store: SaveTarget, file: string, version: Version): Promise<Buffer | null> {
  for (const entry of await store.history(file)) {
    if (entry.version === version) return store.readAt(file, entry.id);
  }
  return null;
}
