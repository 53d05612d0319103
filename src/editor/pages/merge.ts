/**
 * Two people editing one page: a three-way merge of the text the second
 * person opened (the base), what they submitted, and what was saved since.
 * Changes to different lines combine; changes to the same lines are a
 * conflict, which is kept and shown with both texts. git merge-file does
 * the merging, on files in a private temporary folder.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../../store/git.js';

export type MergeResult = { clean: true; text: string } | { clean: false };

export async function mergeTexts(base: string, mine: string, theirs: string): Promise<MergeResult> {
  if (mine === theirs || theirs === base) return { clean: true, text: mine };
  if (mine === base) return { clean: true, text: theirs };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'editor-merge-'));
  try {
    await Promise.all([
      writeFile(path.join(dir, 'mine'), mine),
      writeFile(path.join(dir, 'base'), base),
      writeFile(path.join(dir, 'theirs'), theirs),
    ]);
    // Exit code: 0 clean, the number of conflicts otherwise (negative on failure, which throws).
    const result = await runGit(dir, ['merge-file', '-p', '--', 'mine', 'base', 'theirs'], {
      okCodes: Array.from({ length: 127 }, (_, i) => i + 1),
    });
    return result.code === 0 ? { clean: true, text: result.stdout.toString('utf8') } : { clean: false };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
