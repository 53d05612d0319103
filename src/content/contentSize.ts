/**
 * How many bytes of pages a content folder holds, from the file system's
 * sizes alone, without reading a file: enough for a command to decide, before
 * it reads the folder, whether worker threads will pay for themselves and how
 * much heap to give them (src/cli/build.ts). The same files as
 * readContentFolder: no dotfiles, dot-folders or node_modules, no links.
 */
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isContentPath } from './readContentFolder.js';

/** The total size of the folder's Markdown files; 0 for a folder that cannot be read (the read reports why). */
export async function pageSourceBytes(root: string): Promise<number> {
  const absoluteRoot = path.resolve(root);
  const sizes = async (relativeDir: string): Promise<number> => {
    let dirents;
    try {
      dirents = await readdir(path.join(absoluteRoot, relativeDir), { withFileTypes: true });
    } catch {
      return 0;
    }
    const parts = await Promise.all(
      dirents.map(async (dirent) => {
        const relative = relativeDir ? `${relativeDir}/${dirent.name}` : dirent.name;
        if (!isContentPath(relative)) return 0;
        if (dirent.isDirectory()) return sizes(relative);
        if (!dirent.isFile() || !dirent.name.endsWith('.md')) return 0;
        return lstat(path.join(absoluteRoot, relative)).then(
          (stat) => stat.size,
          () => 0,
        );
      }),
    );
    return parts.reduce((sum, n) => sum + n, 0);
  };
  return sizes('');
}
