/**
 * Text that could not be saved because someone else changed the same lines
 * first. It is kept in DATA_DIR (never lost, never published) until its
 * author saves a resolution from the conflict page or discards it; the
 * editor's home lists it. Each conflict is kept on its own, under an id of
 * its own, so a second conflict on the same page never replaces the first.
 * A resolved conflict is archived, not deleted: nothing anyone typed is lost.
 *
 *   conflicts/<user>/<id>.json            open
 *   conflicts/<user>/resolved/<id>.json   saved, discarded, or kept again
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CONFLICTS_FOLDER, readOptional, writePrivateFile } from '../data/dataFolder.js';

export interface KeptConflict {
  /** Names the conflict in the conflict page's address and form. */
  id: string;
  file: string;
  /** The whole file as this person wanted it. */
  mine: string;
  /** The version saved by someone else, which theirs must now be saved over. */
  theirVersion: string | null;
  keptAt: string;
}

/** How a conflict was closed: its text saved (as resolved), discarded, or kept again in a newer conflict. */
export type Resolution = 'saved' | 'discarded' | 'kept again';

export interface ArchivedConflict extends KeptConflict {
  resolution: Resolution;
  resolvedAt: string;
}

/** A conflict's id as it may come from a form: anything else names no conflict. */
const ID = /^[0-9a-z-]{8,64}$/;
const RESOLVED_FOLDER = 'resolved';

export class KeptConflicts {
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.dir = path.join(dataDir, CONFLICTS_FOLDER);
  }

  /** Keeps a new conflict beside any others (never over one). */
  async keep(user: string, conflict: Omit<KeptConflict, 'id'>): Promise<KeptConflict> {
    const kept = { ...conflict, id: `${this.now().toString(36)}-${randomBytes(8).toString('hex')}` };
    await mkdir(this.userDir(user), { recursive: true, mode: 0o700 });
    await writePrivateFile(path.join(this.userDir(user), `${kept.id}.json`), `${JSON.stringify(kept)}\n`);
    return kept;
  }

  /** An open conflict of this person's; null for an unknown or closed one, or an id that is not one. */
  async get(user: string, id: unknown): Promise<KeptConflict | null> {
    if (typeof id !== 'string' || !ID.test(id)) return null;
    const text = await readOptional(path.join(this.userDir(user), `${id}.json`));
    return text ? parse(text, id) : null;
  }

  /** This person's open conflicts, by file, oldest first. */
  async list(user: string): Promise<KeptConflict[]> {
    return (await this.readFolder(this.userDir(user))).sort(
      (a, b) => a.file.localeCompare(b.file) || a.keptAt.localeCompare(b.keptAt),
    );
  }

  /** This person's closed conflicts, newest first: kept for good, for whoever looks after the site. */
  async archived(user: string): Promise<ArchivedConflict[]> {
    const all = (await this.readFolder(path.join(this.userDir(user), RESOLVED_FOLDER))) as ArchivedConflict[];
    return all.sort((a, b) => b.resolvedAt.localeCompare(a.resolvedAt));
  }

  /** Closes an open conflict: archived with how and when, then no longer listed. */
  async resolve(user: string, id: string, resolution: Resolution): Promise<void> {
    const conflict = await this.get(user, id);
    if (!conflict) return;
    const archive = path.join(this.userDir(user), RESOLVED_FOLDER);
    await mkdir(archive, { recursive: true, mode: 0o700 });
    const record: ArchivedConflict = { ...conflict, resolution, resolvedAt: new Date(this.now()).toISOString() };
    // Archived first: a crash in between leaves the conflict open, never lost.
    await writePrivateFile(path.join(archive, `${id}.json`), `${JSON.stringify(record)}\n`);
    await unlink(path.join(this.userDir(user), `${id}.json`)).catch(() => undefined);
  }

  private async readFolder(dir: string): Promise<KeptConflict[]> {
    const names = await readdir(dir).catch(() => [] as string[]);
    const found: KeptConflict[] = [];
    for (const name of names) {
      const id = name.slice(0, -'.json'.length);
      if (!name.endsWith('.json') || !ID.test(id)) continue;
      const text = await readOptional(path.join(dir, name));
      const conflict = text ? parse(text, id) : null;
      if (conflict) found.push(conflict);
    }
    return found;
  }

  private userDir(user: string): string {
    // Usernames are checked when made; hashing keeps any name a single safe folder name anyway.
    return path.join(this.dir, createHash('sha256').update(user).digest('hex').slice(0, 32));
  }
}

/** A kept conflict (with its archive fields, when archived); its id is its file's name. */
function parse(text: string, id: string): KeptConflict | null {
  try {
    const c = JSON.parse(text) as Partial<ArchivedConflict>;
    if (typeof c.file !== 'string' || typeof c.mine !== 'string' || typeof c.keptAt !== 'string') return null;
    return {
      ...(typeof c.resolution === 'string' ? { resolution: c.resolution } : {}),
      ...(typeof c.resolvedAt === 'string' ? { resolvedAt: c.resolvedAt } : {}),
      id,
      file: c.file,
      mine: c.mine,
      theirVersion: typeof c.theirVersion === 'string' ? c.theirVersion : null,
      keptAt: c.keptAt,
    };
  } catch {
    return null;
  }
}
