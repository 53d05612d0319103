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

/** Folders and files whose names start with "." or "_" are not content. */
function ignored(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

export async function readContentFolder(root: string): Promise<ContentFolder> {
  const absoluteRoot = path.resolve(root);
  let rootStat;
  try {
    rootStat = await lstat(absoluteRoot);
  } catch {
    throw new ContentFolderError(`the content folder ${absoluteRoot} does not exist: set CONTENT_DIR to the folder holding site.yml`);
  }
  if (!rootStat.isDirectory()) {
    throw new ContentFolderError(`the content folder ${absoluteRoot} is not a folder: set CONTENT_DIR to the folder holding site.yml`);
  }
  const entries: ContentEntry[] = [];
  async function walk(relativeDir: string): Promise<void> {
    const dirents = await readdir(path.join(absoluteRoot, relativeDir), { withFileTypes: true });
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    await Promise.all(
      dirents.map(async (dirent) => {
        if (ignored(dirent.name)) return;
        const relative = relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name;
        const absolute = path.join(absoluteRoot, relative);
        if (dirent.isSymbolicLink()) {
          entries.push({ path: relative, kind: 'symlink' });
        } else if (dirent.isDirectory()) {
          await walk(relative);
        } else if (dirent.isFile()) {
          const { bytes, stat } = await readWithStat(absolute);
          const identity = { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
          entries.push({ path: relative, kind: 'file', bytes, mtimeMs: stat.mtimeMs, identity });
        } else {
          entries.push({ path: relative, kind: 'other' });
        }
      }),
    );
  }
  await walk('');
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { root: absoluteRoot, entries };
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
