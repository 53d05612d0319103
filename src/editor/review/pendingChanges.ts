/**
 * Changes waiting for review. When review is on (`reviewBeforePublishing`
 * in site.yml), an editor's save of a published page, or of a new page,
 * does not reach the website: it becomes a pending change, a git branch of
 * its own (store/reviewBranches.ts) holding every version its author saved,
 * with a record in DATA_DIR/reviews/ saying whose it is, what it was made
 * from, where it stands and what reviewers said. A publisher publishes it
 * (decisions.ts) or sends it back with a comment.
 *
 * One open change per person and file: the author's later saves of that
 * file, and the form they open, are the change's. Others go on seeing, and
 * changing, the published page; their changes are merged at publication
 * like any two concurrent edits, or kept as a conflict for the author.
 *
 * The records are few and this server is their only writer, so they are
 * held in memory, loaded at start, and every change to them is written
 * through (atomically, owner-only) in one queue with the branch it concerns.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { splitFrontMatter } from '../../content/frontMatter.js';
import {
  HISTORY_PAGE_SIZE,
  StoreConflictError,
  versionOf,
  type ContentStore,
  type HistoryEntry,
  type HistoryPage,
  type PageRequest,
  type StoredFile,
  type Version,
  type WriteOptions,
} from '../../store/contentStore.js';
import type { ReviewBranches } from '../../store/reviewBranches.js';
import { SerialQueue } from '../../store/serialQueue.js';
import { readOptional, writePrivateFile } from '../data/dataFolder.js';
import type { SaveTarget } from '../pages/saveEdit.js';
import type { User } from '../users/users.js';

export const REVIEWS_FOLDER = 'reviews';
/** Decided changes are listed for a while, then their records are removed (the audit log and git keep the rest). */
export const DECIDED_KEPT_MS = 90 * 24 * 60 * 60 * 1000;
export const MAX_COMMENT_LENGTH = 2000;

export type ChangeState = 'waiting' | 'returned' | 'published' | 'withdrawn';

const commentSchema = z.strictObject({
  by: z.string(),
  byName: z.string(),
  at: z.string(),
  text: z.string(),
  /** returned: a reviewer's comment; conflict: the published page changed in the same lines meanwhile. */
  kind: z.enum(['returned', 'conflict']),
});
export type ReviewComment = z.infer<typeof commentSchema>;

const changeSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]{8,40}$/),
  file: z.string(),
  /** edit: changes a page that exists; new: adds one; delete: removes one. */
  kind: z.enum(['edit', 'new', 'delete']),
  author: z.string(),
  authorName: z.string(),
  authorEmail: z.string(),
  state: z.enum(['waiting', 'returned', 'published', 'withdrawn']),
  /** The published version the change was made over; null for a new page. */
  baseVersion: z.string().nullable(),
  /** The published commit its branch starts from. */
  baseCommit: z.string(),
  /** The newest commit of its branch: the change as it stands. */
  tip: z.string(),
  title: z.string(),
  created: z.string(),
  updated: z.string(),
  /** When it was last sent for review. */
  submitted: z.string(),
  comments: z.array(commentSchema),
  /** Sent back because the published page changed in the same lines: the author must combine the two. */
  conflict: z.boolean(),
  decidedBy: z.string().optional(),
  decidedByName: z.string().optional(),
  decided: z.string().optional(),
  /** The published version it became. */
  publishedVersion: z.string().optional(),
});
export type PendingChange = z.infer<typeof changeSchema>;

export function isOpen(change: PendingChange): boolean {
  return change.state === 'waiting' || change.state === 'returned';
}

/** True when a page file's front matter says `draft: true` (visitors cannot see it). */
export function isDraftText(text: string | null): boolean {
  if (text === null) return false;
  const split = splitFrontMatter(text);
  if (!split.ok) return false;
  const data = split.value.frontMatter.data as Record<string, unknown> | null;
  return data !== null && typeof data === 'object' && data.draft === true;
}

export class PendingChanges {
  private readonly changes = new Map<string, PendingChange>();
  /** Pending changes and their branches change one at a time. */
  readonly queue = new SerialQueue();

  private constructor(
    private readonly dir: string,
    readonly branches: ReviewBranches,
    private readonly store: ContentStore,
    private readonly now: () => number,
  ) {}

  static async open(
    dataDir: string,
    branches: ReviewBranches,
    store: ContentStore,
    now: () => number,
  ): Promise<PendingChanges> {
    const dir = path.join(dataDir, REVIEWS_FOLDER);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const pending = new PendingChanges(dir, branches, store, now);
    for (const name of await readdir(dir)) {
      if (!/^[a-z0-9]{8,40}\.json$/.test(name)) continue;
      const text = await readOptional(path.join(dir, name));
      const parsed = text === null ? null : changeSchema.safeParse(safeJson(text));
      if (!parsed?.success) continue;
      const change = parsed.data;
      if (!isOpen(change) && now() - Date.parse(change.decided ?? change.updated) > DECIDED_KEPT_MS) {
        await unlink(path.join(dir, name)).catch(() => undefined);
        continue;
      }
      pending.changes.set(change.id, change);
    }
    return pending;
  }

  /** Every change known, most recently sent first. */
  all(): PendingChange[] {
    return [...this.changes.values()].sort((a, b) => b.submitted.localeCompare(a.submitted));
  }

  get(id: string): PendingChange | null {
    return this.changes.get(id) ?? null;
  }

  /** The person's open change to a file: their saves go to it. */
  openChange(user: string, file: string): PendingChange | null {
    for (const c of this.changes.values()) if (c.author === user && c.file === file && isOpen(c)) return c;
    return null;
  }

  /** Everyone's open changes to a file. */
  openChangesTo(file: string): PendingChange[] {
    return this.all().filter((c) => c.file === file && isOpen(c));
  }

  /** The change's file as it stands (null for a deletion). */
  text(change: PendingChange): Promise<Buffer | null> {
    return this.branches.readAt(change.tip, change.file);
  }

  /** Reads and writes a person's view of a file: their open change to it, or the published file. */
  target(user: User, file: string): PendingTarget {
    return new PendingTarget(this, this.store, user, file);
  }

  /**
   * Saves a new version of the file (null: its removal) as the person's
   * change: their open change gets one more commit, and is waiting for review
   * again; otherwise a new change starts from the published file. Refused
   * with StoreConflictError when `expectedVersion` is not what they see now.
   */
  save(user: User, file: string, bytes: Buffer | null, options: WriteOptions): Promise<PendingChange> {
    return this.queue.run(async () => {
      const existing = this.openChange(user.name, file);
      const seen = existing ? await this.text(existing) : ((await this.store.read(file))?.bytes ?? null);
      const seenVersion = seen ? versionOf(seen) : null;
      if (seenVersion !== options.expectedVersion) throw new StoreConflictError(file, seenVersion);
      const author = { name: user.displayName, email: user.email };
      const message = options.message ?? `Change ${file}`;
      const now = new Date(this.now()).toISOString();
      const title = titleOf(bytes) ?? existing?.title ?? file;
      if (existing) {
        const tip = await this.branches.commit(existing.id, file, {
          bytes,
          author,
          message,
          expectedTip: existing.tip,
        });
        return this.put({
          ...existing,
          tip,
          title,
          kind: bytes === null ? 'delete' : existing.baseVersion === null ? 'new' : 'edit',
          state: 'waiting',
          updated: now,
          submitted: now,
        });
      }
      const base = await this.store.read(file);
      const baseCommit = await this.branches.head();
      const id = randomBytes(10).toString('hex');
      const tip = await this.branches.commit(id, file, { bytes, author, message, expectedTip: null, base: baseCommit });
      return this.put({
        id,
        file,
        kind: bytes === null ? 'delete' : base ? 'edit' : 'new',
        author: user.name,
        authorName: user.displayName,
        authorEmail: user.email,
        state: 'waiting',
        baseVersion: base?.version ?? null,
        baseCommit,
        tip,
        title: bytes === null ? (titleOf(base?.bytes ?? null) ?? file) : title,
        created: now,
        updated: now,
        submitted: now,
        comments: [],
        conflict: false,
      });
    });
  }

  /** Writes a change's record through (the caller holds the queue). */
  async put(change: PendingChange): Promise<PendingChange> {
    await writePrivateFile(path.join(this.dir, `${change.id}.json`), `${JSON.stringify(change, null, 2)}\n`);
    this.changes.set(change.id, change);
    return change;
  }
}

/**
 * A person's view of one file while their saves go for review: reading gives
 * their open change (or the published file when they have none); writing
 * saves to their change. saveEdit uses it as it uses the content store, so a
 * save for review is validated, merged and kept as a conflict the same way.
 */
export class PendingTarget implements SaveTarget {
  /** The change the last write saved to. */
  saved: PendingChange | null = null;

  constructor(
    private readonly changes: PendingChanges,
    private readonly store: ContentStore,
    private readonly user: User,
    private readonly file: string,
  ) {}

  async read(file: string): Promise<StoredFile | null> {
    const change = this.changes.openChange(this.user.name, this.only(file));
    if (!change) return this.store.read(file);
    const bytes = await this.changes.text(change);
    return bytes ? { path: file, bytes, version: versionOf(bytes) } : null;
  }

  async write(file: string, bytes: Buffer, options: WriteOptions): Promise<Version> {
    this.saved = await this.changes.save(this.user, this.only(file), bytes, options);
    return versionOf(bytes);
  }

  async remove(file: string, options: WriteOptions): Promise<void> {
    this.saved = await this.changes.save(this.user, this.only(file), null, options);
  }

  /**
   * The change's own versions, newest first, then the published file's, a
   * page at a time (as ContentStore.history): from an entry of either.
   */
  async history(file: string, page: PageRequest = {}): Promise<HistoryPage<HistoryEntry>> {
    const change = this.changes.openChange(this.user.name, this.only(file));
    const limit = page.limit ?? HISTORY_PAGE_SIZE;
    const own = change ? await this.changes.branches.history(change.id, file, { ...page, limit }) : null;
    // No change, or a page that starts in the published file's history.
    if (!own || (page.from !== undefined && own.entries.length === 0)) return this.store.history(file, page);
    if (own.older !== null) return own;
    const rest = limit - own.entries.length;
    const published = await this.store.history(file, { limit: Math.max(rest, 1) });
    if (rest === 0) return { entries: own.entries, older: published.entries[0]?.id ?? null };
    return { entries: [...own.entries, ...published.entries], older: published.older };
  }

  /** Any version of the file, published or on a review branch: they share one repository. */
  readAt(file: string, entryId: string): Promise<Buffer | null> {
    return this.store.readAt(this.only(file), entryId);
  }

  private only(file: string): string {
    if (file !== this.file) throw new Error(`a pending change of ${this.file} cannot hold ${file}`);
    return file;
  }
}

function titleOf(bytes: Buffer | null): string | null {
  if (!bytes) return null;
  const split = splitFrontMatter(bytes.toString('utf8'));
  if (!split.ok) return null;
  const title = (split.value.frontMatter.data as Record<string, unknown> | null)?.title;
  return typeof title === 'string' && title.trim() !== '' ? title.trim().slice(0, 120) : null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
