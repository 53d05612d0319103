/**
 * Reads the content folder into memory: the only part of the pipeline that
 * touches the file system. Everything after it is a pure function of what
 * it returns, so tests can build sites from in-memory files.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';

export interface ContentEntry {
  /** Relative path with forward slashes. */
  path: string;
  kind: 'file' | 'symlink' | 'other';
  /** File bytes; absent for symlinks and other non-files. */
  bytes?: Buffer;
  /** Last modification time, for HTTP caching of downloads. */
  mtimeMs?: number;
  /** Which file on disk the bytes came from, so a server can notice it was replaced. */
  identity?: { dev: number; ino: number; size: number; mtimeMs: number; ctimeMs: number };
}

export interface ContentFolder {
  root: string;
  entries: ContentEntry[];
}

export class ContentFolderError extends Error {}

/** Dotfiles, dot-folders and node_modules are not content. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

export async function readContentFolder(root: string): Promise<ContentFolder> {
  const absoluteRoot = path.resolve(root);
  let rootStat;
  try {
    rootStat = await lstat(absoluteRoot);
  } catch {
    throw new ContentFolderError(
      `the content folder ${absoluteRoot} does not exist: set CONTENT_DIR to the folder holding site.yml`,
    );
  }
  if (!rootStat.isDirectory()) {
    throw new ContentFolderError(
      `the content folder ${absoluteRoot} is not a folder: set CONTENT_DIR to the folder holding site.yml`,
    );
  }
  const entries: ContentEntry[] = [];
  const files: string[] = [];
  await walk(absoluteRoot, '', entries, files);
  await readFiles(absoluteRoot, files, entries);
  entries.sort(byPath);
  return { root: absoluteRoot, entries };
}

/**
 * The content folder's entries as `readContentFolder` finds them (the same
 * paths, the same ignored names), without reading any file's bytes: for
 * listing what is there, however large the files are.
 */
export async function listContentFolder(root: string): Promise<ContentEntry[]> {
  const absoluteRoot = path.resolve(root);
  const entries: ContentEntry[] = [];
  await walk(absoluteRoot, '', entries, null);
  entries.sort(byPath);
  return entries;
}

/**
 * Reads what is now at some paths of the content folder (a file, or a whole
 * folder), for a reload after the watcher saw them change. A path that no
 * longer exists, or that is not content, yields no entries.
 */
export async function readContentPaths(root: string, relativePaths: Iterable<string>): Promise<ContentEntry[]> {
  const absoluteRoot = path.resolve(root);
  const entries: ContentEntry[] = [];
  const files: string[] = [];
  for (const relative of new Set(relativePaths)) {
    if (!isContentPath(relative)) continue;
    const absolute = path.join(absoluteRoot, relative);
    let stat;
    try {
      stat = await lstat(absolute);
    } catch {
      continue; // deleted, or renamed away
    }
    if (stat.isSymbolicLink()) entries.push({ path: relative, kind: 'symlink' });
    else if (stat.isDirectory()) await walk(absoluteRoot, relative, entries, files);
    else if (stat.isFile()) files.push(relative);
    else entries.push({ path: relative, kind: 'other' });
  }
  await readFiles(absoluteRoot, files, entries);
  entries.sort(byPath);
  return entries;
}

/** A relative path with forward slashes, inside the folder, with no ignored segment. */
export function isContentPath(relative: string): boolean {
  if (relative === '' || relative.startsWith('/') || relative.includes('\\')) return false;
  return relative.split('/').every((segment) => segment !== '' && segment !== '..' && !ignored(segment));
}

/** Lists a folder into `entries`; its files go to `files` to be read, or into `entries` unread when that is null. */
async function walk(
  absoluteRoot: string,
  relativeDir: string,
  entries: ContentEntry[],
  files: string[] | null,
): Promise<void> {
  let dirents;
  try {
    dirents = await readdir(path.join(absoluteRoot, relativeDir), { withFileTypes: true });
  } catch (error) {
    // A folder deleted while it is being read (a reload racing an edit) has no entries.
    if (relativeDir !== '' && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await Promise.all(
    dirents.map(async (dirent) => {
      if (ignored(dirent.name)) return;
      const relative = relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name;
      if (dirent.isSymbolicLink()) {
        entries.push({ path: relative, kind: 'symlink' });
      } else if (dirent.isDirectory()) {
        await walk(absoluteRoot, relative, entries, files);
      } else if (dirent.isFile()) {
        if (files) files.push(relative);
        else entries.push({ path: relative, kind: 'file' });
      } else {
        entries.push({ path: relative, kind: 'other' });
      }
    }),
  );
}

/**
 * Files up to this size are read with synchronous calls, a batch at a time: four thousand pages took 450 ms of CPU
 * through promises (five round trips to the thread pool each) and 60 ms this way. A batch holds the thread for a
 * millisecond or two; between batches, requests are answered. Larger files (documents) are read asynchronously.
 */
export const SYNC_READ_MAX_BYTES = 256 * 1024;
const SYNC_READ_BATCH_BYTES = 1024 * 1024;

async function readFiles(absoluteRoot: string, files: readonly string[], entries: ContentEntry[]): Promise<void> {
  let batchBytes = 0;
  const later: string[] = [];
  for (const relative of files) {
    const read = readFileEntrySync(absoluteRoot, relative);
    if (read === 'large') {
      later.push(relative);
      continue;
    }
    pushIfPresent(entries, read);
    batchBytes += (read?.bytes?.length ?? 0) + 4096;
    if (batchBytes >= SYNC_READ_BATCH_BYTES) {
      batchBytes = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  await Promise.all(later.map(async (relative) => pushIfPresent(entries, await readFileEntry(absoluteRoot, relative))));
}

/** A small file read at once, or 'large' for a file to read asynchronously; null when it disappeared. */
function readFileEntrySync(absoluteRoot: string, relative: string): ContentEntry | null | 'large' {
  const absolute = path.join(absoluteRoot, relative);
  let fd: number;
  try {
    // O_NONBLOCK: a file replaced by a named pipe since it was listed must not hold this thread waiting.
    fd = openSync(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return openFailed(relative, error);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { path: relative, kind: 'other' };
    if (stat.size > SYNC_READ_MAX_BYTES) return 'large';
    const bytes = readAllSync(fd, stat.size);
    return bytes ? fileEntry(relative, bytes, stat) : 'large';
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads to the end of the file, which may have grown since its size was taken; null once it has grown past the
 * synchronous limit (a copy still being written): it is read asynchronously then, not on this thread.
 */
function readAllSync(fd: number, size: number): Buffer | null {
  // Not from Node's shared pool: a page's bytes are kept, and sent to workers, on their own.
  let bytes = Buffer.allocUnsafeSlow(Math.max(size, 1));
  let length = 0;
  for (;;) {
    if (length === bytes.length) {
      if (length > SYNC_READ_MAX_BYTES) return null;
      const bigger = Buffer.allocUnsafeSlow(bytes.length * 2);
      bytes.copy(bigger, 0, 0, length);
      bytes = bigger;
    }
    const n = readSync(fd, bytes, length, bytes.length - length, null);
    if (n === 0) break;
    length += n;
  }
  if (length === bytes.length) return bytes;
  const exact = Buffer.allocUnsafeSlow(length);
  bytes.copy(exact, 0, 0, length);
  return exact;
}

function fileEntry(relative: string, bytes: Buffer, stat: Stats): ContentEntry {
  const identity = { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
  return { path: relative, kind: 'file', bytes, mtimeMs: stat.mtimeMs, identity };
}

function openFailed(relative: string, error: unknown): ContentEntry | null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  // Replaced by a symbolic link between listing and opening: report it as one.
  if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { path: relative, kind: 'symlink' };
  throw error;
}

/** Null when the file disappeared between listing and reading (an editor saving by rename). */
async function readFileEntry(absoluteRoot: string, relative: string): Promise<ContentEntry | null> {
  const absolute = path.join(absoluteRoot, relative);
  try {
    const read = await readWithStat(absolute);
    return read ? fileEntry(relative, read.bytes, read.stat) : { path: relative, kind: 'other' };
  } catch (error) {
    return openFailed(relative, error);
  }
}

/**
 * Reads a file and the stat of the very file read (not whatever is at the path a moment later); null when that is
 * not a regular file (replaced since it was listed: O_NONBLOCK, as in readFileEntrySync, for a named pipe).
 */
async function readWithStat(absolute: string): Promise<{ bytes: Buffer; stat: Stats } | null> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return null;
    const bytes = await handle.readFile();
    return { bytes, stat };
  } finally {
    await handle.close();
  }
}

function pushIfPresent(entries: ContentEntry[], entry: ContentEntry | null): void {
  if (entry) entries.push(entry);
}

function byPath(a: ContentEntry, b: ContentEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}
