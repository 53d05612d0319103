/**
 * The editor's data folder (DATA_DIR): users, the session key and the audit
 * log. Created with owner-only permissions, and its files written owner-only
 * and atomically (temporary file, flush, rename), so a crash never leaves a
 * half-written users file. Never inside the content folder (the
 * configuration refuses that), so it is never published or committed.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

export const USERS_FILE = 'users.json';
export const SESSION_KEY_FILE = 'session.key';
export const AUDIT_FILE = 'audit.log';
export const ENDED_SESSIONS_FILE = 'ended-sessions.json';
export const CONFLICTS_FOLDER = 'conflicts';

/** Creates the folder (owner-only) or tightens one that exists; returns its absolute path. */
export async function openDataFolder(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  await mkdir(absolute, { recursive: true, mode: 0o700 });
  const info = await stat(absolute);
  if (!info.isDirectory()) throw new Error(`DATA_DIR ${absolute} is not a folder`);
  if ((info.mode & 0o077) !== 0) await chmod(absolute, 0o700);
  return absolute;
}

/** Replaces a file atomically, readable and writable by its owner only. */
export async function writePrivateFile(file: string, data: string | Buffer): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/** A file's text, or null when it does not exist. */
export async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Runs `task` holding a lock file beside `file`, so that the server and
 * `npm run user` never interleave a read-modify-write of it. A lock left by
 * a crashed process is taken over after `staleMs`.
 */
export async function withFileLock<T>(file: string, task: () => Promise<T>, staleMs = 10_000): Promise<T> {
  const lock = `${file}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // The lock is held: wait for it, or take over one left by a crashed process.
      const age = await stat(lock)
        .then((s) => Date.now() - s.mtimeMs)
        .catch(() => 0);
      if (age > staleMs) await unlink(lock).catch(() => undefined);
      else if (attempt > 200)
        throw new Error(`${file} is locked by another process: try again in a moment`, { cause: error });
      else await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await task();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
