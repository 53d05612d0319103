/** A fingerprint of a content folder and its repository: every file's bytes, and the commit HEAD names. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { GIT_ISOLATED_ENV } from '../helpers/git.js';

export function folderHash(root: string): string {
  const hash = createHash('sha256');
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      hash.update(path.relative(root, full));
      if (entry.isSymbolicLink()) hash.update(`-> ${readlinkSync(full)}`);
      else if (entry.isDirectory()) visit(full);
      else hash.update(readFileSync(full));
    }
  };
  visit(root);
  hash.update(
    execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      env: GIT_ISOLATED_ENV,
    }),
  );
  return hash.digest('hex');
}
