/**
 * The content store with history: the file-system store's guarantees
 * (atomic, version-checked writes; paths and symbolic links refused; removal
 * to a trash), and every change recorded as one git commit with the person
 * who made it as its author. History comes from `git log`; restoring an
 * earlier version is a new commit, never a reset, so nothing is lost.
 *
 * - If the content folder is not inside a git repository, one is created
 *   and the folder's content (what the loader reads: no dot-files) becomes
 *   the first commit. If it is inside one
 *   (the content folder of a project checked out with git), that repository
 *   is used and only content paths are ever committed (`git commit -- path`
 *   leaves anything else a person has staged alone).
 * - A file changed on disk outside the store (by hand, say) is committed on
 *   its own, as such, before the store's change to it: a restore can then
 *   never silently drop a hand edit.
 * - Changes go through one queue: git's index lock never refuses one of ours.
 *   A lock held by someone else's git command is waited out briefly.
 * - Delivery servers follow this repository with `git pull`; the store never
 *   rewrites history.
 */
import { appendFile, lstat, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  HISTORY_PAGE_SIZE,
  StorePathError,
  type ContentStore,
  type HistoryEntry,
  type HistoryPage,
  type ListedEntry,
  type PageRequest,
  type StoredFile,
  type TrashEntry,
  type Version,
  type WriteOptions,
} from './contentStore.js';
import { FsContentStore, TRASH_FOLDER } from './fsContentStore.js';
import { GitError, runGit, type GitIdentity, type GitRunOptions } from './git.js';
import { SerialQueue } from './serialQueue.js';
import { changedPaths, type ChangeInfo, type FileChange } from './contentStore.js';
import { checkStorePath } from './storePaths.js';
import type { ContentEntry, ContentFolder } from '../content/readContentFolder.js';

const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** Who commits: the server. The author of each commit is the person who made the change. */
export const EDITOR_COMMITTER: GitIdentity = { name: 'Website editor', email: 'editor@localhost' };
const OUTSIDE_AUTHOR: GitIdentity = { name: 'Changed outside the editor', email: 'outside-the-editor@localhost' };

export interface GitStoreOptions {
  committer?: GitIdentity;
  /** Called after each commit (for example, to push it to the content remote). */
  onCommit?: () => void;
}

export class GitContentStore implements ContentStore {
  readonly root: string;
  private readonly files: FsContentStore;
  private readonly queue = new SerialQueue();
  private readonly committer: GitIdentity;
  private readonly onCommit: (() => void) | undefined;

  private constructor(files: FsContentStore, options: GitStoreOptions) {
    this.files = files;
    this.root = files.root;
    this.committer = options.committer ?? EDITOR_COMMITTER;
    this.onCommit = options.onCommit;
  }

  /**
   * Opens the store on a content folder, creating a repository (with the
   * folder as its first commit) when the folder is not inside one.
   */
  static async open(root: string, options: GitStoreOptions = {}): Promise<GitContentStore> {
    const store = new GitContentStore(await FsContentStore.open(root), options);
    await store.ensureRepository();
    return store;
  }

  readAll(): Promise<ContentFolder> {
    return this.files.readAll();
  }

  readPaths(paths: readonly string[]): Promise<ContentEntry[]> {
    return this.files.readPaths(paths);
  }

  list(): Promise<ListedEntry[]> {
    return this.files.list();
  }

  read(relative: string): Promise<StoredFile | null> {
    return this.files.read(relative);
  }

  async write(relative: string, bytes: Buffer, options: WriteOptions): Promise<Version> {
    checkStorePath(relative);
    return this.queue.run(async () => {
      await this.commitOutsideChanges([relative]);
      const before = await this.files.read(relative);
      const version = await this.files.write(relative, bytes, options);
      await this.commitOrUndo([relative], options, describe('Save', relative, options), async () => {
        if (before) await this.files.write(relative, before.bytes, { expectedVersion: version });
        else await this.files.remove(relative, { expectedVersion: version });
      });
      return version;
    });
  }

  async move(from: string, to: string, options: WriteOptions): Promise<void> {
    checkStorePath(from);
    checkStorePath(to);
    return this.queue.run(async () => {
      await this.commitOutsideChanges([from, to]);
      await this.files.move(from, to, options);
      const current = await this.files.read(to);
      await this.commitOrUndo([from, to], options, describe('Move', `${from} to ${to}`, options), async () => {
        await this.files.move(to, from, { expectedVersion: current?.version ?? null });
      });
    });
  }

  async applyChanges(changes: readonly FileChange[], info: ChangeInfo): Promise<void> {
    const paths = changedPaths(changes);
    for (const p of paths) checkStorePath(p);
    return this.queue.run(async () => {
      await this.commitOutsideChanges(paths);
      const before = new Map<string, Buffer | null>();
      for (const p of paths) before.set(p, (await this.files.read(p))?.bytes ?? null);
      await this.files.applyChanges(changes, info);
      await this.commitOrUndo(
        paths,
        { ...info, expectedVersion: null },
        describe('Change', paths.join(', '), { ...info, expectedVersion: null }),
        () => this.files.putBack(before),
      );
    });
  }

  async remove(relative: string, options: WriteOptions): Promise<void> {
    checkStorePath(relative);
    return this.queue.run(async () => {
      await this.commitOutsideChanges([relative]);
      const before = await this.files.read(relative);
      await this.files.remove(relative, options);
      await this.commitOrUndo([relative], options, describe('Delete', relative, options), async () => {
        if (before) await this.files.write(relative, before.bytes, { expectedVersion: null });
      });
    });
  }

  /** The commits that changed the file, newest first, a page at a time: git's log only, no file's bytes read. */
  async history(relative: string, page: PageRequest = {}): Promise<HistoryPage<HistoryEntry>> {
    checkStorePath(relative);
    const limit = page.limit ?? HISTORY_PAGE_SIZE;
    const commits = await this.log([], relative, page.from, limit + 1);
    return {
      entries: commits.slice(0, limit).map((c) => historyEntry(c, relative)),
      older: commits[limit]?.id ?? null,
    };
  }

  async readAt(relative: string, entryId: string): Promise<Buffer | null> {
    checkStorePath(relative);
    if (!COMMIT_ID.test(entryId)) return null;
    const [atCommit] = await this.readBlobs([blobSpec(entryId, relative, false)]);
    if (atCommit) return atCommit;
    // A commit that removed the file: its bytes are those it removed.
    const [removed] = await this.readBlobs([blobSpec(entryId, relative, true)]);
    return removed ?? null;
  }

  restore(relative: string, entryId: string, options: WriteOptions): Promise<Version> {
    return this.readAt(relative, entryId).then((bytes) => {
      if (bytes === null) throw new StorePathError(relative, `there is no earlier version "${entryId}" of ${relative}`);
      return this.write(relative, bytes, options);
    });
  }

  /**
   * Files whose last commit removed them, newest first, each once: those
   * removed by `limit` changes from `from` on, less files there again now
   * and files a newer change touched (those are on a newer page, or back).
   */
  async trash(page: PageRequest = {}): Promise<HistoryPage<TrashEntry>> {
    const limit = page.limit ?? HISTORY_PAGE_SIZE;
    const removals = await this.log(['--diff-filter=D'], '.', page.from, limit + 1);
    const candidates: Array<{ path: string; commit: ParsedCommit }> = [];
    const seen = new Set<string>();
    for (const commit of removals.slice(0, limit)) {
      for (const [file, status] of commit.statuses) {
        if (status !== 'D' || seen.has(file)) continue;
        seen.add(file);
        candidates.push({ path: file, commit });
      }
    }
    const newer = page.from ? await this.touchedSince(page.from, [...seen]) : new Set<string>();
    const entries: TrashEntry[] = [];
    for (const { path: file, commit } of candidates) {
      if (newer.has(file) || (await this.existsNow(file))) continue;
      entries.push({ ...historyEntry(commit, file), path: file });
    }
    return { entries, older: removals[limit]?.id ?? null };
  }

  /** The id of the newest commit, for delivery servers and tests; null before the first. */
  async head(): Promise<string | null> {
    if (!(await this.hasCommits())) return null;
    return (await this.git(['rev-parse', '--verify', '--end-of-options', 'HEAD'])).stdout.toString('utf8').trim();
  }

  /**
   * At most `count` commits that changed a path, newest first, from the
   * commit `from` (HEAD when absent), with each file's status letter. None
   * when `from` is not a commit of this repository.
   */
  private async log(
    filters: readonly string[],
    pathspec: string,
    from: string | undefined,
    count: number,
  ): Promise<ParsedCommit[]> {
    if (!(await this.hasCommits()) || (from !== undefined && !COMMIT_ID.test(from))) return [];
    const args = ['log', `-n${count}`, ...filters, LOG_FORMAT, '--name-status', '--no-renames', '--relative'];
    const log = await this.git([...args, '--end-of-options', from ?? 'HEAD', '--', pathspec], { okCodes: [128] });
    return log.code === 0 ? parseLog(log.stdout.toString('utf8')) : [];
  }

  /** Which of these paths a commit newer than `commit` changed. */
  private async touchedSince(commit: string, paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0 || !COMMIT_ID.test(commit)) return new Set();
    const args = ['log', '--format=', '--name-only', '--no-renames', '--relative'];
    const log = await this.git([...args, '--end-of-options', `${commit}..HEAD`, '--', ...paths], { okCodes: [128] });
    return new Set(log.stdout.toString('utf8').split('\n').filter(Boolean));
  }

  /** Whether anything is at the path now (a file brought back, or written again), without reading it. */
  private existsNow(relative: string): Promise<boolean> {
    return lstat(path.join(this.root, ...relative.split('/'))).then(
      () => true,
      () => false,
    );
  }

  private git(args: readonly string[], options: GitRunOptions = {}) {
    return runGit(this.root, args, { committer: this.committer, ...options });
  }

  private async ensureRepository(): Promise<void> {
    const inside = await this.git(['rev-parse', '--is-inside-work-tree'], { okCodes: [128] });
    if (inside.code !== 0 || inside.stdout.toString('utf8').trim() !== 'true') {
      await this.git(['init', '-q']);
      await this.excludeTrash();
      // Only content paths, as the loader reads them: never a dot-file or dot-folder (secrets, a data folder).
      const files = (await this.files.list()).filter((e) => e.kind === 'file').map((e) => e.path);
      await this.git(['add', '--pathspec-from-file=-', '--pathspec-file-nul'], { input: files.join('\0') });
      await this.git(['commit', '-q', '--allow-empty', '-F', '-'], {
        input: 'Start the history of the content folder\n',
      });
      return;
    }
    await this.excludeTrash();
  }

  /** The trash folder is the file-system store's; git keeps removed files in history instead. */
  private async excludeTrash(): Promise<void> {
    const excludePath = (await this.git(['rev-parse', '--git-path', 'info/exclude'])).stdout.toString('utf8').trim();
    const absolute = path.resolve(this.root, excludePath);
    const existing = await readFile(absolute, 'utf8').catch(() => '');
    const line = `${TRASH_FOLDER}/`;
    if (!existing.split('\n').includes(line)) {
      await mkdir(path.dirname(absolute), { recursive: true });
      await appendFile(
        absolute,
        `${existing === '' || existing.endsWith('\n') ? '' : '\n'}` +
          `# The content store's trash: removed files are kept in git history.\n${line}\n`,
      );
    }
  }

  private async hasCommits(): Promise<boolean> {
    const result = await this.git(['rev-parse', '--verify', '-q', '--end-of-options', 'HEAD'], { okCodes: [1, 128] });
    return result.code === 0;
  }

  /** Commits what is on disk at these paths, on its own, when it differs from the last commit. */
  private async commitOutsideChanges(paths: readonly string[]): Promise<void> {
    const status = await this.git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths]);
    if (status.stdout.length === 0) return;
    await this.stageAndCommit(paths, `Record changes to ${paths.join(', ')} made outside the editor\n`, OUTSIDE_AUTHOR);
  }

  /** Stages and commits the paths; if that fails, puts the files back as they were and reports the failure. */
  private async commitOrUndo(
    paths: readonly string[],
    options: WriteOptions,
    message: string,
    undo: () => Promise<void>,
  ): Promise<void> {
    try {
      await this.stageAndCommit(paths, message, options.author);
    } catch (error) {
      await undo().catch(() => undefined);
      await this.git(['reset', '-q', '--', ...paths], { okCodes: [1] }).catch(() => undefined);
      throw error;
    }
  }

  private async stageAndCommit(
    paths: readonly string[],
    message: string,
    author: GitIdentity | undefined,
  ): Promise<void> {
    await this.withLockRetry(() => this.git(['add', '-A', '--', ...paths]));
    const staged = await this.git(['diff', '--cached', '--quiet', '--', ...paths], { okCodes: [1] });
    if (staged.code === 0) return; // the same bytes as the last commit: nothing to record
    await this.withLockRetry(() =>
      this.git(['commit', '-q', '--no-edit', '-F', '-', '--', ...paths], {
        input: message,
        ...(author ? { author } : {}),
      }),
    );
    this.onCommit?.();
  }

  /** Someone else's git command (a pull on the same checkout) may hold the index lock for a moment. */
  private async withLockRetry<T>(task: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await task();
      } catch (error) {
        if (
          attempt >= 20 ||
          !(error instanceof GitError) ||
          !/index\.lock|Unable to create .*\.lock/.test(error.stderr)
        )
          throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
      }
    }
  }

  /** Reads objects by `rev:path` in one git process; null for each one that does not exist. */
  private async readBlobs(specs: readonly string[]): Promise<Array<Buffer | null>> {
    if (specs.length === 0) return [];
    const result = await this.git(['cat-file', '--batch'], { input: `${specs.join('\n')}\n` });
    const out = result.stdout;
    const blobs: Array<Buffer | null> = [];
    let offset = 0;
    for (let i = 0; i < specs.length; i++) {
      const end = out.indexOf(0x0a, offset);
      if (end === -1) break;
      const header = out.subarray(offset, end).toString('utf8');
      offset = end + 1;
      const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!m) {
        blobs.push(null); // "<spec> missing" or ambiguous
        continue;
      }
      const size = Number(m[2]);
      blobs.push(m[1] === 'blob' ? Buffer.from(out.subarray(offset, offset + size)) : null);
      offset += size + 1;
    }
    while (blobs.length < specs.length) blobs.push(null);
    return blobs;
  }
}

/** The `git log` format parseLog reads (with `--name-status`): one record per commit. */
export const LOG_FORMAT = '--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%s';

export interface ParsedCommit {
  id: string;
  authorName: string;
  authorEmail: string;
  date: Date;
  subject: string;
  /** Path (relative to the content folder, with git log --relative) -> status letter. */
  statuses: Map<string, string>;
}

/** `<commit>:./path` names the file relative to the content folder; `<commit>^` is the version before. */
function blobSpec(commit: string, relative: string, before: boolean): string {
  return `${commit}${before ? '^' : ''}:./${relative}`;
}

/** A commit as an entry of a file's history: `relative` is the file's path as the log names it. */
export function historyEntry(commit: ParsedCommit, relative: string): HistoryEntry {
  return {
    id: commit.id,
    date: commit.date,
    action: commit.statuses.get(relative) === 'D' ? 'removed' : 'saved',
    author: `${commit.authorName} <${commit.authorEmail}>`,
    message: commit.subject,
  };
}

function describe(action: string, subject: string, options: WriteOptions): string {
  const message = options.message?.trim() || `${action} ${subject}`;
  return `${message.replace(/\r\n?/g, '\n')}\n`;
}

export function parseLog(text: string): ParsedCommit[] {
  const commits: ParsedCommit[] = [];
  for (const record of text.split('\x1e')) {
    if (record.trim() === '') continue;
    const [header = '', ...lines] = record.split('\n');
    const [id = '', authorName = '', authorEmail = '', date = '', subject = ''] = header.split('\x1f');
    if (!COMMIT_ID.test(id)) continue;
    const statuses = new Map<string, string>();
    for (const line of lines) {
      const m = /^([A-Z])\d*\t(.+)$/.exec(line);
      if (m) statuses.set(m[2]!, m[1]!);
    }
    commits.push({ id, authorName, authorEmail, date: new Date(date), subject, statuses });
  }
  return commits;
}
