/**
 * Text that could not be saved because someone else changed the same lines
 * first. It is kept in DATA_DIR (never lost, never published) until its
 * author saves a resolution or discards it; the editor's home lists it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CONFLICTS_FOLDER, readOptional, writePrivateFile } from '../data/dataFolder.js';

export interface KeptConflict {
  file: string;
  /** The whole file as this person wanted it. */
  mine: string;
  /** The version saved by someone else, which theirs must now be saved over. */
  theirVersion: string | null;
  keptAt: string;
}

export class KeptConflicts {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, CONFLICTS_FOLDER);
  }

  async keep(user: string, conflict: KeptConflict): Promise<void> {
    await mkdir(this.userDir(user), { recursive: true, mode: 0o700 });
    await writePrivateFile(this.fileFor(user, conflict.file), `${JSON.stringify(conflict)}\n`);
  }

  async get(user: string, file: string): Promise<KeptConflict | null> {
    const text = await readOptional(this.fileFor(user, file));
    return text ? parse(text) : null;
  }

  async list(user: string): Promise<KeptConflict[]> {
    const names = await readdir(this.userDir(user)).catch(() => [] as string[]);
    const found: KeptConflict[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const text = await readOptional(path.join(this.userDir(user), name));
      const conflict = text ? parse(text) : null;
      if (conflict) found.push(conflict);
    }
    return found.sort((a, b) => a.file.localeCompare(b.file));
  }

  async clear(user: string, file: string): Promise<void> {
    await unlink(this.fileFor(user, file)).catch(() => undefined);
  }

  private userDir(user: string): string {
    // Usernames are checked when made; hashing keeps any name a single safe folder name anyway.
    return path.join(this.dir, createHash('sha256').update(user).digest('hex').slice(0, 32));
  }

  private fileFor(user: string, file: string): string {
    return path.join(this.userDir(user), `${createHash('sha256').update(file).digest('hex').slice(0, 32)}.json`);
  }
}

function parse(text: string): KeptConflict | null {
  try {
    const c = JSON.parse(text) as Partial<KeptConflict>;
    if (typeof c.file !== 'string' || typeof c.mine !== 'string' || typeof c.keptAt !== 'string') return null;
    return {
      file: c.file,
      mine: c.mine,
      theirVersion: typeof c.theirVersion === 'string' ? c.theirVersion : null,
      keptAt: c.keptAt,
    };
  } catch {
    return null;
  }
}
