/**
 * The editor's users, kept in DATA_DIR/users.json (owner-only). The running
 * server and `npm run user` both read and change it, under a lock file;
 * the server notices a change by the file's modification time, so a
 * password changed from the command line ends that person's sessions at once.
 *
 * Each user has a session epoch: every session carries the epoch it began
 * in, and changing a password or role, or disabling the user, moves the
 * epoch on, which ends every session begun before.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readOptional, USERS_FILE, withFileLock, writePrivateFile } from '../data/dataFolder.js';

/**
 * Editors change pages; publishers also publish changes waiting for review;
 * admins also manage users and read the activity. Each role can do all that
 * the ones before it can.
 */
export const ROLES = ['editor', 'publisher', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Publishers and admins publish at once, and publish others' changes waiting for review. */
export function canPublish(role: Role): boolean {
  return role === 'publisher' || role === 'admin';
}

export interface User {
  /** The sign-in name, normalised (see normaliseUsername). */
  name: string;
  /** Shown in the editor and as the author of commits. */
  displayName: string;
  email: string;
  role: Role;
  passwordHash: string;
  disabled: boolean;
  sessionEpoch: number;
  created: string;
  updated: string;
}

const userSchema = z.strictObject({
  name: z.string(),
  displayName: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  passwordHash: z.string(),
  disabled: z.boolean(),
  sessionEpoch: z.number().int().nonnegative(),
  created: z.string(),
  updated: z.string(),
});
const fileSchema = z.strictObject({ users: z.array(userSchema) });

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;

/**
 * One spelling per name: Unicode compatibility form, lower case, no
 * surrounding space. Sign-in and rate limits use it, so "Alice", "ALICE"
 * and a full-width "Ａｌｉｃｅ" are one user and one counter.
 */
export function normaliseUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

export function usernameProblem(name: string): string | null {
  return USERNAME.test(name)
    ? null
    : 'A username is 2 to 32 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit';
}

export class UserStore {
  readonly file: string;
  private cache: { mtimeMs: number; size: number; users: User[] } | null = null;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, USERS_FILE);
  }

  /** Every user, read again only when the file changed. */
  async list(): Promise<User[]> {
    const info = await stat(this.file).catch(() => null);
    if (!info) return [];
    if (this.cache && this.cache.mtimeMs === info.mtimeMs && this.cache.size === info.size) return this.cache.users;
    const users = await this.readFile();
    this.cache = { mtimeMs: info.mtimeMs, size: info.size, users };
    return users;
  }

  async find(name: string): Promise<User | null> {
    const wanted = normaliseUsername(name);
    return (await this.list()).find((u) => u.name === wanted) ?? null;
  }

  /** Changes users under the lock; `change` returns the new list (or throws to change nothing). */
  async update(change: (users: User[]) => User[] | Promise<User[]>): Promise<User[]> {
    return withFileLock(this.file, async () => {
      const next = await change(await this.readFile());
      await writePrivateFile(this.file, `${JSON.stringify({ users: next }, null, 2)}\n`);
      this.cache = null;
      return next;
    });
  }

  private async readFile(): Promise<User[]> {
    const text = await readOptional(this.file);
    if (text === null) return [];
    const parsed = fileSchema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new Error(`${this.file} is not a valid users file: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data.users;
  }
}
