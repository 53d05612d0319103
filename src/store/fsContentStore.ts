/**
 * The content store on the file system.
 *
 * - Writes are atomic: the new bytes go to a hidden temporary file in the
 *   same folder, are flushed to disk, then renamed over the old file. A crash
 *   at any moment leaves the old file or the new one, never a mix; a
 *   temporary file left by a crash is hidden (the loader ignores dotfiles)
 *   and swept away the next time the store opens.
 * - Writes carry the version their writer last saw and are refused when the
 *   file changed since; they run one at a time through one queue.
 * - Paths are checked before the file system is touched, and nothing on the
 *   way to a file may be a symbolic link: the store never writes outside the
 *   folder, whatever the folder holds.
 * - Remove moves the file into the trash folder (.trash/), from which history
 *   and restore bring it back. Nothing is ever deleted.
 */
import { randomBytes } from 'node:crypto';
import { constants, realpathSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentEntry, ContentFolder } from '../content/readContentFolder.js';
import { listContentFolder, readContentFolder, readContentPaths } from '../content/readContentFolder.js';
import {
  HISTORY_PAGE_SIZE,
  StoreConflictError,
  StorePathError,
  versionOf,
  type ChangeInfo,
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
import { SerialQueue } from './serialQueue.js';
import { changedPaths, type FileChange } from './contentStore.js';
import { checkStorePath } from './storePaths.js';

/** Where removed files go, inside the content folder but hidden from the site. */
export const TRASH_FOLDER = '.trash';
const TEMP_SUFFIX = '.store-tmp';
/** A temporary file older than this belongs to no write in progress. */
const STALE_TEMP_MS = 10 * 60 * 1000;

export interface FsStoreOptions {
  /** Test hooks: a failure thrown here stands for a crash at that moment. */
  faults?: { beforeRename?: (tempPath: string) => void | Promise<void> };
  now?: () => number;
}

interface TrashRecord {
  path: string;
  version: Version;
  date: string;
  author: string | null;
  message: string | null;
}

export class FsContentStore implements ContentStore {
  readonly root: string;
  private readonly realRoot: string;
  private readonly queue = new SerialQueue();
  private readonly options: FsStoreOptions;

  private constructor(root: string, options: FsStoreOptions) {
    this.root = path.resolve(root);
    this.realRoot = realpathSync(this.root);
    this.options = options;
  }

  /** Opens the store on a folder, sweeping temporary files that crashed writes left behind. */
  static async open(root: string, options: FsStoreOptions = {}): Promise<FsContentStore> {
    const store = new FsContentStore(root, options);
    await store.sweepTemporaryFiles();
    return store;
  }

  readAll(): Promise<ContentFolder> {
    return readContentFolder(this.root);
  }

  readPaths(paths: readonly string[]): Promise<ContentEntry[]> {
    return readContentPaths(this.root, paths);
  }

  async list(): Promise<ListedEntry[]> {
    return (await listContentFolder(this.root)).map(({ path, kind }) => ({ path, kind }));
  }

  async read(relative: string): Promise<StoredFile | null> {
    const segments = checkStorePath(relative);
    await this.checkFoldersOnTheWay(relative, segments);
    const bytes = await this.readCurrent(relative, segments);
    return bytes === null ? null : { path: relative, bytes, version: versionOf(bytes) };
  }

  async write(relative: string, bytes: Buffer, options: WriteOptions): Promise<Version> {
    const segments = checkStorePath(relative);
    return this.queue.run(async () => {
      await this.checkFoldersOnTheWay(relative, segments);
      await this.expectVersion(relative, segments, options.expectedVersion);
      await this.replaceAtomically(relative, segments, bytes);
      return versionOf(bytes);
    });
  }

  async move(from: string, to: string, options: WriteOptions): Promise<void> {
    const fromSegments = checkStorePath(from);
    const toSegments = checkStorePath(to);
    return this.queue.run(async () => {
      await this.checkFoldersOnTheWay(from, fromSegments);
      await this.checkFoldersOnTheWay(to, toSegments);
      await this.expectVersion(from, fromSegments, options.expectedVersion);
      const existing = await this.readCurrent(to, toSegments);
      if (existing !== null) throw new StoreConflictError(to, versionOf(existing));
      await this.ensureFolders(to, toSegments);
      await rename(this.absolute(fromSegments), this.absolute(toSegments));
    });
  }

  async applyChanges(changes: readonly FileChange[], info: ChangeInfo): Promise<void> {
    const paths = changedPaths(changes);
    for (const p of paths) checkStorePath(p);
    // Every expected version first, each change played on the versions the ones before it leave, so that a set
    // refused for a conflict changes nothing.
    const versions = new Map<string, Version | null>();
    const versionAt = async (p: string): Promise<Version | null> => {
      if (!versions.has(p)) versions.set(p, (await this.read(p))?.version ?? null);
      return versions.get(p)!;
    };
    for (const change of changes) {
      const at = change.kind === 'move' ? change.from : change.path;
      const current = await versionAt(at);
      if (current !== change.expectedVersion) throw new StoreConflictError(at, current);
      if (change.kind === 'move') {
        const there = await versionAt(change.to);
        if (there !== null) throw new StoreConflictError(change.to, there);
        versions.set(change.to, current);
      }
      versions.set(at, change.kind === 'write' ? versionOf(change.bytes) : null);
    }
    const before = new Map<string, Buffer | null>();
    for (const p of paths) before.set(p, (await this.read(p))?.bytes ?? null);
    try {
      for (const change of changes) {
        const options = { ...info, expectedVersion: change.expectedVersion };
        if (change.kind === 'write') await this.write(change.path, change.bytes, options);
        else if (change.kind === 'remove') await this.remove(change.path, options);
        else await this.move(change.from, change.to, options);
      }
    } catch (error) {
      await this.putBack(before).catch(() => undefined);
      throw error;
    }
  }

  /** Puts files back as they were (null: absent), after a set of changes failed part of the way. */
  async putBack(before: ReadonlyMap<string, Buffer | null>): Promise<void> {
    for (const [p, bytes] of before) {
      const now = await this.read(p);
      if (bytes === null) {
        if (now) await this.remove(p, { expectedVersion: now.version });
      } else if (now?.version !== versionOf(bytes)) {
        await this.write(p, bytes, { expectedVersion: now?.version ?? null });
      }
    }
  }

  async remove(relative: string, options: WriteOptions): Promise<void> {
    const segments = checkStorePath(relative);
    return this.queue.run(async () => {
      await this.checkFoldersOnTheWay(relative, segments);
      const current = await this.expectVersion(relative, segments, options.expectedVersion);
      if (current === null) throw new StoreConflictError(relative, null);
      const id = this.newTrashId();
      const trashSegments = [TRASH_FOLDER, id, ...segments];
      await mkdir(path.join(this.root, TRASH_FOLDER, id, ...segments.slice(0, -1)), { recursive: true });
      const record: TrashRecord = {
        path: relative,
        version: current,
        date: new Date(this.now()).toISOString(),
        ...changeFields(options),
      };
      await writeFile(path.join(this.root, TRASH_FOLDER, id, '.removed.json'), `${JSON.stringify(record)}\n`, {
        flag: 'wx',
      });
      await rename(this.absolute(segments), this.absolute(trashSegments));
    });
  }

  /** The file system keeps no history of saves: only removed versions, from the trash. */
  async history(relative: string, page: PageRequest = {}): Promise<HistoryPage<HistoryEntry>> {
    checkStorePath(relative);
    const removals = (await this.trashEntries()).filter((e) => e.path === relative);
    return pageOf(
      removals.map(({ path: _path, ...entry }) => entry),
      page,
    );
  }

  async restore(relative: string, entryId: string, options: WriteOptions): Promise<Version> {
    const bytes = await this.readAt(relative, entryId);
    if (bytes === null) throw new StorePathError(relative, `there is no earlier version "${entryId}" of ${relative}`);
    return this.write(relative, bytes, options);
  }

  async readAt(relative: string, entryId: string): Promise<Buffer | null> {
    const segments = checkStorePath(relative);
    if (!/^[0-9a-z-]+$/.test(entryId)) return null;
    const record = await readTrashRecord(path.join(this.root, TRASH_FOLDER, entryId, '.removed.json'));
    if (record?.path !== relative) return null;
    return readFile(this.absolute([TRASH_FOLDER, entryId, ...segments]), {
      flag: constants.O_RDONLY | constants.O_NOFOLLOW,
    });
  }

  async trash(page: PageRequest = {}): Promise<HistoryPage<TrashEntry>> {
    const entries: TrashEntry[] = [];
    for (const entry of await this.trashEntries()) {
      if ((await this.read(entry.path).catch(() => null)) === null) entries.push(entry);
    }
    return pageOf(entries, page);
  }

  /** Every removal in the trash folder, newest first. */
  private async trashEntries(): Promise<TrashEntry[]> {
    let ids: string[];
    try {
      ids = await readdir(path.join(this.root, TRASH_FOLDER));
    } catch {
      return [];
    }
    const entries: TrashEntry[] = [];
    for (const id of ids) {
      const record = await readTrashRecord(path.join(this.root, TRASH_FOLDER, id, '.removed.json'));
      if (!record) continue;
      const { path: file, author, message } = record;
      entries.push({ id, path: file, date: new Date(record.date), action: 'removed', author, message });
    }
    return entries.sort((a, b) => b.date.getTime() - a.date.getTime());
  }

  private absolute(segments: readonly string[]): string {
    return path.join(this.root, ...segments);
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private newTrashId(): string {
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-').toLowerCase();
    return `${stamp}-${randomBytes(4).toString('hex')}`;
  }

  /** Every folder between the root and the file must be a real folder, or not exist yet. */
  private async checkFoldersOnTheWay(relative: string, segments: readonly string[]): Promise<void> {
    for (let i = 1; i < segments.length; i++) {
      let info;
      try {
        info = await lstat(this.absolute(segments.slice(0, i)));
      } catch (error) {
        // Nothing further exists: a write creates the folders, a read finds no file.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      if (info.isSymbolicLink())
        throw new StorePathError(
          relative,
          `"${segments.slice(0, i).join('/')}" is a symbolic link: the store does not follow links`,
        );
      if (!info.isDirectory())
        throw new StorePathError(relative, `"${segments.slice(0, i).join('/')}" is a file, not a folder`);
    }
  }

  /** The file's current bytes; null if there is none. Refuses links and folders. */
  private async readCurrent(relative: string, segments: readonly string[]): Promise<Buffer | null> {
    let handle;
    try {
      handle = await open(this.absolute(segments), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      if (code === 'ELOOP')
        throw new StorePathError(relative, `"${relative}" is a symbolic link: the store does not follow links`);
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new StorePathError(relative, `"${relative}" is not a file`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  /** Refuses the write unless the file is still at the version its writer saw; returns that version. */
  private async expectVersion(
    relative: string,
    segments: readonly string[],
    expected: Version | null,
  ): Promise<Version | null> {
    const bytes = await this.readCurrent(relative, segments);
    const current = bytes === null ? null : versionOf(bytes);
    if (current !== expected) throw new StoreConflictError(relative, current);
    return current;
  }

  private async ensureFolders(relative: string, segments: readonly string[]): Promise<void> {
    for (let i = 1; i < segments.length; i++) {
      const folder = this.absolute(segments.slice(0, i));
      try {
        await mkdir(folder);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const info = await lstat(folder);
      if (!info.isDirectory() || info.isSymbolicLink())
        throw new StorePathError(relative, `"${segments.slice(0, i).join('/')}" is not a folder`);
    }
  }

  private async replaceAtomically(relative: string, segments: readonly string[], bytes: Buffer): Promise<void> {
    await this.ensureFolders(relative, segments);
    const target = this.absolute(segments);
    const folder = path.dirname(target);
    const temp = path.join(folder, `.${path.basename(target)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o644,
    );
    try {
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.options.faults?.beforeRename?.(temp);
      // The folder must still be the one inside the content folder that was checked, not a link swapped in since.
      if ((await realpath(folder)) !== path.join(this.realRoot, ...segments.slice(0, -1))) {
        throw new StorePathError(relative, `a folder on the way to "${relative}" changed while it was written`);
      }
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await syncFolder(folder);
  }

  private async sweepTemporaryFiles(): Promise<void> {
    const now = this.now();
    const visit = async (folder: string): Promise<void> => {
      let dirents;
      try {
        dirents = await readdir(folder, { withFileTypes: true });
      } catch {
        return;
      }
      for (const dirent of dirents) {
        const full = path.join(folder, dirent.name);
        if (
          dirent.isDirectory() &&
          dirent.name !== TRASH_FOLDER &&
          !dirent.name.startsWith('.git') &&
          dirent.name !== 'node_modules'
        ) {
          await visit(full);
        } else if (dirent.isFile() && dirent.name.startsWith('.') && dirent.name.endsWith(TEMP_SUFFIX)) {
          const info = await stat(full).catch(() => null);
          if (info && now - info.mtimeMs > STALE_TEMP_MS) await rm(full, { force: true });
        }
      }
    };
    await visit(this.root);
  }
}

function changeFields(info: ChangeInfo): { author: string | null; message: string | null } {
  return { author: info.author ? `${info.author.name} <${info.author.email}>` : null, message: info.message ?? null };
}

/** The page of `entries` (newest first) that starts at `page.from`. */
function pageOf<T extends { id: string }>(entries: T[], page: PageRequest): HistoryPage<T> {
  const limit = page.limit ?? HISTORY_PAGE_SIZE;
  const start = page.from === undefined ? 0 : entries.findIndex((e) => e.id === page.from);
  if (start === -1) return { entries: [], older: null };
  return { entries: entries.slice(start, start + limit), older: entries[start + limit]?.id ?? null };
}

async function readTrashRecord(file: string): Promise<TrashRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<TrashRecord>;
    if (typeof parsed.path !== 'string' || typeof parsed.version !== 'string' || typeof parsed.date !== 'string')
      return null;
    return {
      path: parsed.path,
      version: parsed.version,
      date: parsed.date,
      author: parsed.author ?? null,
      message: parsed.message ?? null,
    };
  } catch {
    return null;
  }
}

/** Makes a rename durable: the folder's entry is flushed too (not every platform can). */
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Opening a folder for fsync is refused on some systems; the rename itself is still atomic.
  }
}
