/**
 * Runs the git command safely: a fixed argument list (never a shell), no
 * hooks, no external protocols, no system or user configuration, no
 * prompts, and pathspecs taken literally. Callers put user-derived values
 * only after `--end-of-options` or `--`, and pass messages on standard
 * input, so no text a person typed can ever be read as an option.
 */
import { execFile } from 'node:child_process';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface GitRunOptions {
  /** Written to git's standard input (a commit message, a list of objects). */
  input?: string | Buffer;
  author?: GitIdentity;
  committer?: GitIdentity;
  /** Exit codes other than 0 that are answers rather than failures (diff --quiet, merge-file). */
  okCodes?: readonly number[];
  /** A private index file, for commits made beside the work tree (pending changes) without touching it. */
  indexFile?: string;
  /** Stops the command after this long (a remote that does not answer); 60 seconds otherwise. */
  timeoutMs?: number;
  /** Non-interactive ssh for fetch and push: a host that asks for a password or a new host key fails at once. */
  batchSsh?: boolean;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed (${code ?? 'no exit code'}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

/** Settings that stop a repository's own configuration from running programs or reaching out. */
const SAFE_CONFIG = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'protocol.ext.allow=never',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'core.quotePath=false',
  '-c',
  'diff.external=',
  '--literal-pathspecs',
  '--no-pager',
];

const MAX_OUTPUT = 256 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

/** A git identity must not hold the characters git uses to delimit one. */
export function cleanIdentity(identity: GitIdentity): GitIdentity {
  const clean = (s: string) => s.replace(/[<>\u0000-\u001f\u007f]/g, '').trim();
  return { name: clean(identity.name) || 'Unknown', email: clean(identity.email) || 'unknown@invalid' };
}

export function runGit(cwd: string, args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
  const env: Record<string, string> = {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  };
  const committer = cleanIdentity(options.committer ?? { name: 'Website editor', email: 'editor@localhost' });
  const author = cleanIdentity(options.author ?? committer);
  env.GIT_AUTHOR_NAME = author.name;
  env.GIT_AUTHOR_EMAIL = author.email;
  env.GIT_COMMITTER_NAME = committer.name;
  env.GIT_COMMITTER_EMAIL = committer.email;
  if (options.indexFile) env.GIT_INDEX_FILE = options.indexFile;
  if (options.batchSsh) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes -o ConnectTimeout=10';
  const fullArgs = ['-C', cwd, ...SAFE_CONFIG, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      { env, encoding: 'buffer', maxBuffer: MAX_OUTPUT, timeout: options.timeoutMs ?? TIMEOUT_MS, windowsHide: true },
      (error, stdout, stderr) => {
        const code = error
          ? typeof (error as { code?: unknown }).code === 'number'
            ? (error as { code: number }).code
            : null
          : 0;
        const result = { code: code ?? -1, stdout: stdout as Buffer, stderr: (stderr as Buffer).toString('utf8') };
        if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve(result);
        else reject(new GitError(args, code, result.stderr || (error?.message ?? '')));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}
