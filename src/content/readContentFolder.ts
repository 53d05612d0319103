/**
 * Reads the content folder into memory: the only part of the pipeline that
 * touches the file system. Everything after it is a pure function of what
 * it returns, so tests can build sites from in-memory files.
 */
import { constants, type Stats } from 'node:fs';
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
  await walk(absoluteRoot, '', entries);
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
  await walk(absoluteRoot, '', entries, false);
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
    else if (stat.isDirectory()) await walk(absoluteRoot, relative, entries);
    else if (stat.isFile()) pushIfPresent(entries, await readFileEntry(absoluteRoot, relative));
    else entries.push({ path: relative, kind: 'other' });
  }
  entries.sort(byPath);
  return entries;
}

/** A relative path with forward slashes, inside the folder, with no ignored segment. */
export function isContentPath(relative: string): boolean {
  if (relative === '' || relative.startsWith('/') || relative.includes('\\')) return false;
  return relative.split('/').every((segment) => segment !== '' && segment !== '..' && !ignored(segment));
}

async function walk(absoluteRoot: string, relativeDir: string, entries: ContentEntry[], read = true): Promise<void> {
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
        await walk(absoluteRoot, relative, entries, read);
      } else if (dirent.isFile()) {
        if (read) pushIfPresent(entries, await readFileEntry(absoluteRoot, relative));
        else entries.push({ path: relative, kind: 'file' });
      } else {
        entries.push({ path: relative, kind: 'other' });
      }
    }),
  );
}

/** Null when the file disappeared between listing and reading (an editor saving by rename). */
async function readFileEntry(absoluteRoot: string, relative: string): Promise<ContentEntry | null> {
  const absolute = path.join(absoluteRoot, relative);
  try {
    const { bytes, stat } = await readWithStat(absolute);
    const identity = { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
    return { path: relative, kind: 'file', bytes, mtimeMs: stat.mtimeMs, identity };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Replaced by a symbolic link between listing and opening: report it as one.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { path: relative, kind: 'symlink' };
    throw error;
  }
}

/** Reads a file and the stat of the very file read (not whatever is at the path a moment later). */
async function readWithStat(absolute: string): Promise<{ bytes: Buffer; stat: Stats }> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stat = await handle.stat();
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
