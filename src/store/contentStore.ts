/**
 * The content store: the one way content is read and written. Staff's
 * tools (the browser editor, `npm run new`, the PDF generator) write through
 * it; the loader reads through it. One vocabulary of actions (read, write,
 * move, remove, history) with interchangeable back ends: the file system
 * now, git next.
 *
 * Every write names the version of the file its writer last saw (null for a
 * file that must not exist yet) and is refused when the file has changed
 * since: nothing is ever overwritten silently.
 */
import { createHash } from 'node:crypto';
import type { ContentSource } from '../content/loadContent.js';
import type { ContentEntry } from '../content/readContentFolder.js';

/** A file's version: a hash of its bytes, so equal bytes are the same version wherever they came from. */
export type Version = string;

export function versionOf(bytes: Buffer): Version {
  return `sha256-${createHash('sha256').update(bytes).digest('base64url')}`;
}

/** Who made a change and why, for history (the git store records them; the file system cannot). */
export interface ChangeInfo {
  author?: { name: string; email: string };
  message?: string;
}

export interface WriteOptions extends ChangeInfo {
  /** The version the writer last saw; null when the file must not exist yet. */
  expectedVersion: Version | null;
}

/** A path in the content folder and what is there (a file, a symbolic link, something else). */
export type ListedEntry = Pick<ContentEntry, 'path' | 'kind'>;

export interface StoredFile {
  path: string;
  bytes: Buffer;
  version: Version;
}

/**
 * One change in a file's history. It carries no bytes and no version, so
 * that listing a long history reads nothing but the list: `readAt` reads
 * the one version wanted.
 */
export interface HistoryEntry {
  /** Identifies the entry for `readAt`, `restore` and paging. */
  id: string;
  date: Date;
  action: 'saved' | 'moved' | 'removed';
  author: string | null;
  message: string | null;
}

export interface ContentStore extends ContentSource {
  /** Every content path (as the loader reads the folder), without reading any file's bytes. */
  list(): Promise<ListedEntry[]>;
  /** The file's bytes and version; null when there is no such file. */
  read(path: string): Promise<StoredFile | null>;
  /** Writes the whole file atomically: readers see the old bytes or the new, never a mix. */
  write(path: string, bytes: Buffer, options: WriteOptions): Promise<Version>;
  /** Renames a file; the target must not exist. */
  move(from: string, to: string, options: WriteOptions): Promise<void>;
  /**
   * Several changes as one (one commit in the git store): a document's page
   * and the file uploaded with it, a page and its images moved together. Every
   * expected version is checked before anything is changed; if a change still
   * fails, those before it are undone.
   */
  applyChanges(changes: readonly FileChange[], info: ChangeInfo): Promise<void>;
  /** Moves the file to the trash (never deletes it): it can be restored from history. */
  remove(path: string, options: WriteOptions): Promise<void>;
  /** Earlier versions of a file, newest first, a page at a time (see HistoryPage). */
  history(path: string, page?: PageRequest): Promise<HistoryPage<HistoryEntry>>;
  /** Writes an earlier version back as a new change (never a reset). */
  restore(path: string, entryId: string, options: WriteOptions): Promise<Version>;
  /** The bytes of an earlier version (for a removal: the bytes removed); null when there is no such entry. */
  readAt(path: string, entryId: string): Promise<Buffer | null>;
  /**
   * Files removed and not brought back since, newest first, each once: the
   * trash, from which `restore` recovers them, a page at a time.
   */
  trash(page?: PageRequest): Promise<HistoryPage<TrashEntry>>;
}

/**
 * Which page of a history: from an entry (the `older` of the page before),
 * `limit` entries; for the trash, the files removed by `limit` changes (so
 * the files one change removed are never split between pages).
 */
export interface PageRequest {
  from?: string;
  limit?: number;
}

export interface HistoryPage<T> {
  entries: T[];
  /** Where the next, older page starts (its `from`); null when this page reaches the oldest entry. */
  older: string | null;
}

/** Entries a page holds when the caller does not say. */
export const HISTORY_PAGE_SIZE = 50;

export interface TrashEntry extends HistoryEntry {
  path: string;
}

/** A path that is not a content path (outside the folder, hidden, a symbolic link, a folder). */
export class StorePathError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** The file changed since the writer read it: the write was refused and nothing changed. */
export class StoreConflictError extends Error {
  constructor(
    readonly path: string,
    /** The version on disk now; null when the file does not exist. */
    readonly currentVersion: Version | null,
  ) {
    super(
      currentVersion === null
        ? `${path} no longer exists: someone else moved or removed it`
        : `${path} has changed since it was opened: someone else saved it first`,
    );
  }
}

/** One change of a set applied together (see ContentStore.applyChanges). */
export type FileChange =
  | { kind: 'write'; path: string; bytes: Buffer; expectedVersion: Version | null }
  | { kind: 'remove'; path: string; expectedVersion: Version }
  | { kind: 'move'; from: string; to: string; expectedVersion: Version };

/** Every path a set of changes touches, each once, in order. */
export function changedPaths(changes: readonly FileChange[]): string[] {
  return [...new Set(changes.flatMap((c) => (c.kind === 'move' ? [c.from, c.to] : [c.path])))];
}
