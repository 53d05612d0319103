/** The key that signs session cookies and form tokens: 32 random bytes in DATA_DIR, made once. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Secret } from '../../config/config.js';
import { readOptional, SESSION_KEY_FILE, withFileLock, writePrivateFile } from '../data/dataFolder.js';

export async function loadSessionKey(dataDir: string): Promise<Secret> {
  const file = path.join(dataDir, SESSION_KEY_FILE);
  return withFileLock(file, async () => {
    const existing = (await readOptional(file))?.trim();
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return new Secret(existing);
    const key = randomBytes(32).toString('base64url');
    await writePrivateFile(file, `${key}\n`);
    return new Secret(key);
  });
}
