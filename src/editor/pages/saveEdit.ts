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
import { MAX_PAGE_BYTES, MAX_SETTINGS_BYTES, SETTINGS_FILE } from '../../content/buildSite.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../content/diagnostics.js';
import type { LiveSite } from '../../live/liveSite.js';
import { StoreConflictError, versionOf, type ContentStore, type Version } from '../../store/contentStore.js';
import { mergeTexts } from './merge.js';

/** Where a form was opened: the file's version then, and the history entry holding it. */
export interface Opened {
  /** The version the form was opened from; null for a file that must not exist yet. */
  openedVersion: Version | null;
  /** The history entry the form was opened at (the file's newest), where that version can be read again. */
  openedAt: string | null;
}

/** A form's hidden "version" and "at" fields (empty: a file that must not exist yet, or no history). */
export function openedFrom(body: Record<string, unknown>): Opened {
  const field = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return { openedVersion: field(body.version), openedAt: field(body.at) };
}

export interface SaveRequest extends Opened {
  file: string;
  /** The whole file as submitted. */
  text: string;
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
  // Before anything else: a text too large to be published is never merged, diffed or kept as a conflict.
  const tooLarge = sizeProblem(request.file, request.text);
  if (tooLarge) return { kind: 'invalid', text: request.text, diagnostics: [tooLarge] };
  // One retry: a save that lands between our read and our write is merged like any other.
  for (let attempt = 0; ; attempt++) {
    const current = await deps.store.read(request.file);
    let candidate = request.text;
    let merged = false;
    if ((current?.version ?? null) !== request.openedVersion) {
      if (!current) return { kind: 'conflict', mine: request.text, theirs: null, theirVersion: null };
      const base =
        request.openedVersion === null
          ? null
          : await findVersion(deps.store, request.file, request.openedVersion, request.openedAt);
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

/** The file's size limit (buildSite's), as a problem a person can act on; null within it. */
export function sizeProblem(file: string, text: string): Diagnostic | null {
  const settings = file === SETTINGS_FILE;
  const limit = settings ? MAX_SETTINGS_BYTES : MAX_PAGE_BYTES;
  if (Buffer.byteLength(text, 'utf8') <= limit) return null;
  return diagnostic(
    file,
    settings
      ? `the site settings file is larger than ${limit / 1024} KB, so nothing was saved: ` +
          'it holds settings and labels only'
      : `the page is larger than ${limit / 1024} KB, the most a page can be, so nothing was saved: ` +
          'split it into several pages',
  );
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

/**
 * The bytes of the version a form was opened from: the one entry the form
 * names, read and checked against the version (never a search of the
 * file's whole history). Null when it is not that version: the save is
 * then kept as a conflict, with both texts shown.
 */
export async function findVersion(
  store: Pick<SaveTarget, 'readAt'>,
  file: string,
  version: Version,
  at: string | null,
): Promise<Buffer | null> {
  if (!at) return null;
  const bytes = await store.readAt(file, at);
  return bytes !== null && versionOf(bytes) === version ? bytes : null;
}

/** The entry a form opened now is at: the file's newest change, when that saved it (not when it removed it). */
export async function currentEntry(store: Pick<SaveTarget, 'history'>, file: string): Promise<string | null> {
  const [newest] = (await store.history(file, { limit: 1 })).entries;
  return newest && newest.action !== 'removed' ? newest.id : null;
}
