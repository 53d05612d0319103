/**
 * The git operations that keep servers up to date: the authoring server
 * pushes its branch to the content remote; a delivery server fetches that
 * branch and moves to it only by fast-forward, so history that was
 * rewritten (a force-push, a reset) is never taken.
 *
 * The remote is the administrator's setting, never anything a person
 * typed in a form; still, git is allowed only that remote's protocol
 * (`protocol.allow=never` and one exception), it comes after
 * `--end-of-options`, ssh never asks questions (BatchMode), network
 * commands stop after a timeout, and messages name the remote without any
 * password or token it holds.
 */
import { GitError, runGit, type GitRunOptions } from './git.js';

export interface RemoteAddress {
  kind: 'file' | 'ssh' | 'https';
  /** Revealed only to give it to git. */
  url: { reveal(): string };
  display: string;
}

/** A remote that does not answer within this is unreachable for now. */
export const NETWORK_TIMEOUT_MS = 30_000;
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export class RemoteError extends Error {}

function network(remote: RemoteAddress): string[] {
  return ['-c', 'protocol.allow=never', '-c', `protocol.${remote.kind}.allow=always`];
}

/** git's own message, first line, with the remote's secret address replaced by its display form. */
export function remoteMessage(error: unknown, remote: RemoteAddress): string {
  const raw = error instanceof GitError ? error.stderr : error instanceof Error ? error.message : String(error);
  const secret = remote.url.reveal();
  const lines = raw
    .split(secret)
    .join(remote.display)
    .replace(/\/\/[^/@\s]*@/g, '//')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^(?:hint|To |From )/.test(l));
  const line = lines.find((l) => /^(?:fatal|error|!|remote:)/.test(l)) ?? lines[0] ?? 'no message from git';
  return line.slice(0, 300);
}

/** The checked-out branch of the repository holding `dir`; an error when HEAD is detached. */
export async function currentBranch(dir: string): Promise<string> {
  const out = await runGit(dir, ['symbolic-ref', '--short', '-q', 'HEAD'], { okCodes: [1, 128] });
  const branch = out.stdout.toString('utf8').trim();
  if (out.code === 128)
    throw new RemoteError(`${dir} is not in a git repository: make it a clone of the content remote (git clone)`);
  if (out.code !== 0 || !/^[A-Za-z0-9._/-]+$/.test(branch) || branch.startsWith('-'))
    throw new RemoteError(`the git repository of ${dir} is not on a branch: check out the branch to follow`);
  return branch;
}

export async function headCommit(dir: string): Promise<string | null> {
  const out = await runGit(dir, ['rev-parse', '--verify', '-q', '--end-of-options', 'HEAD'], { okCodes: [1, 128] });
  const id = out.stdout.toString('utf8').trim();
  return out.code === 0 && COMMIT_ID.test(id) ? id : null;
}

/** Pushes HEAD to the remote's branch of the same name; never forced, so the remote's history only grows. */
export async function pushBranch(dir: string, remote: RemoteAddress, branch: string): Promise<void> {
  await runGit(
    dir,
    [
      ...network(remote),
      'push',
      '--quiet',
      '--no-verify',
      '--no-recurse-submodules',
      '--end-of-options',
      remote.url.reveal(),
      `HEAD:refs/heads/${branch}`,
    ],
    remoteOptions(),
  );
}

/** Fetches the remote's branch; returns the commit it points at. */
export async function fetchBranch(dir: string, remote: RemoteAddress, branch: string): Promise<string> {
  await runGit(
    dir,
    [
      ...network(remote),
      'fetch',
      '--quiet',
      '--no-tags',
      '--no-recurse-submodules',
      '--no-write-commit-graph',
      '--end-of-options',
      remote.url.reveal(),
      `refs/heads/${branch}`,
    ],
    remoteOptions(),
  );
  const out = await runGit(dir, ['rev-parse', '--verify', '--end-of-options', 'FETCH_HEAD^{commit}']);
  const id = out.stdout.toString('utf8').trim();
  if (!COMMIT_ID.test(id)) throw new RemoteError('git fetch gave no commit');
  return id;
}

/** True when `ancestor` is in the history of `descendant`: moving from one to the other is a fast-forward. */
export async function isAncestor(dir: string, ancestor: string, descendant: string): Promise<boolean> {
  const out = await runGit(dir, ['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant], {
    okCodes: [1],
  });
  return out.code === 0;
}

/** Content paths (relative to `dir`) that differ between two commits. */
export async function changedPaths(dir: string, from: string, to: string): Promise<string[]> {
  const out = await runGit(dir, [
    'diff',
    '--name-only',
    '-z',
    '--no-renames',
    '--relative',
    '--end-of-options',
    from,
    to,
    '--',
  ]);
  return out.stdout
    .toString('utf8')
    .split('\0')
    .filter((p) => p !== '');
}

/** Moves the checked-out branch and the files to `commit`, which must be a fast-forward. */
export async function fastForward(dir: string, commit: string): Promise<void> {
  await runGit(dir, ['merge', '--ff-only', '--quiet', '--no-edit', '--no-verify', '--end-of-options', commit]);
}

function remoteOptions(): GitRunOptions {
  return { timeoutMs: NETWORK_TIMEOUT_MS, batchSsh: true };
}
