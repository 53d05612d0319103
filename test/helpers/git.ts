/** Git for tests that set up repositories: no system or user configuration, a fixed identity. */
import { execFileSync } from 'node:child_process';

/** No system or user configuration: git as the server runs it. */
export const GIT_ISOLATED_ENV = { PATH: '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

export const GIT_ENV = {
  ...GIT_ISOLATED_ENV,
  GIT_AUTHOR_NAME: 'Set-up',
  GIT_AUTHOR_EMAIL: 'setup@example.org',
  GIT_COMMITTER_NAME: 'Set-up',
  GIT_COMMITTER_EMAIL: 'setup@example.org',
};

/** Runs git in `cwd`; its output without the final newline. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV }).toString('utf8').trim();
}
