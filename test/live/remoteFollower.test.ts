/**
 * Keeping servers up to date through a git remote, with real repositories
 * in a temporary folder: the authoring side pushes each commit (never
 * forced, retried until the remote takes it); a delivery side fetches,
 * fast-forwards and reloads exactly the files that changed, keeps serving
 * and reports stale content when the remote is out of reach, and refuses
 * history that was rewritten.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/config.js';
import type { ContentStatus, ReloadRequest } from '../../src/live/liveSite.js';
import { RemoteFollower } from '../../src/live/remoteFollower.js';
import { RemotePusher } from '../../src/live/remotePusher.js';
import { remoteMessage } from '../../src/store/gitRemote.js';
import { GitError } from '../../src/store/git.js';
import { git } from '../helpers/git.js';
import { capturedLogger, waitFor } from '../helpers/live.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** A bare remote, an authoring clone with one commit, and a delivery clone of it. */
function repositories() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'remote-follow-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const bare = path.join(root, 'remote.git');
  const authoring = path.join(root, 'authoring');
  git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  mkdirSync(authoring);
  git(authoring, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(authoring, 'index.md'), 'First version\n');
  git(authoring, 'add', '-A');
  git(authoring, 'commit', '-qm', 'First');
  git(authoring, 'push', '-q', bare, 'main');
  const delivery = path.join(root, 'delivery');
  git(root, 'clone', '-q', bare, delivery);
  const remote = { kind: 'file' as const, url: new Secret(bare), display: bare };
  const commit = (message: string, files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(authoring, file)), { recursive: true });
      writeFileSync(path.join(authoring, file), text);
    }
    git(authoring, 'add', '-A');
    git(authoring, 'commit', '-qm', message);
    return git(authoring, 'rev-parse', 'HEAD');
  };
  return { root, bare, authoring, delivery, remote, commit };
}

function follower(delivery: string, remote: ReturnType<typeof repositories>['remote'], intervalMs = 60_000) {
  const reloads: ReloadRequest[] = [];
  const log = capturedLogger();
  const live = {
    reload: async (request: ReloadRequest = { reason: 'x' }) => {
      reloads.push(request);
      return {} as never;
    },
  };
  const f = new RemoteFollower({ contentDir: delivery, remote, live, logger: log.logger, intervalMs });
  cleanups.push(() => f.close());
  return { f, reloads, log };
}

const CURRENT: ContentStatus = { state: 'current', version: 3, loadedAt: 1, diagnostics: [] };

describe('a delivery server following the content remote', () => {
  it('fast-forwards to a new commit and reloads exactly the files that changed', async () => {
    const r = repositories();
    const { f, reloads } = follower(r.delivery, r.remote);
    await f.start();
    await waitFor(() => f.status().state === 'current' || undefined, 5_000, 'the first fetch');
    expect(await f.update('test')).toBe('unchanged');
    expect(reloads).toEqual([]);
    const head = r.commit('Second', { 'index.md': 'Second version\n', 'work/new.md': 'New page\n' });
    git(r.authoring, 'push', '-q', r.bare, 'main');
    expect(await f.update('webhook')).toBe('updated');
    expect(readFileSync(path.join(r.delivery, 'index.md'), 'utf8')).toBe('Second version\n');
    expect(git(r.delivery, 'rev-parse', 'HEAD')).toBe(head);
    expect(reloads).toEqual([{ content: ['index.md', 'work/new.md'], reason: 'content remote' }]);
    expect(f.status()).toMatchObject({ state: 'current', reason: null, commit: head });
    expect(f.contentStatus(CURRENT)).toEqual(CURRENT);
  });

  it('keeps serving and reports stale content while the remote is out of reach, then catches up', async () => {
    const r = repositories();
    const { f, reloads, log } = follower(r.delivery, r.remote);
    await f.start();
    await waitFor(() => f.status().state === 'current' || undefined, 5_000, 'the first fetch');
    const moved = `${r.bare}.away`;
    renameSync(r.bare, moved);
    expect(await f.update('timer')).toBe('unreachable');
    expect(f.status().state).toBe('stale');
    expect(f.status().reason).toContain(`the content remote ${r.bare} could not be reached`);
    expect(f.contentStatus(CURRENT)).toMatchObject({ state: 'stale', version: 3, staleReason: f.status().reason });
    expect(log.lines().some((l) => l.msg === 'content remote unreachable: still serving')).toBe(true);
    expect(readFileSync(path.join(r.delivery, 'index.md'), 'utf8')).toBe('First version\n');
    renameSync(moved, r.bare);
    r.commit('Later', { 'index.md': 'Later version\n' });
    git(r.authoring, 'push', '-q', r.bare, 'main');
    expect(await f.update('timer')).toBe('updated');
    expect(f.contentStatus(CURRENT)).toEqual(CURRENT);
    expect(reloads).toHaveLength(1);
  });

  it('never takes rewritten history: a force-pushed remote leaves it serving what it has, reported stale', async () => {
    const r = repositories();
    r.commit('Second', { 'index.md': 'Second version\n' });
    git(r.authoring, 'push', '-q', r.bare, 'main');
    const { f, reloads } = follower(r.delivery, r.remote);
    await f.start();
    expect(await f.update('test')).toBe('updated');
    const served = git(r.delivery, 'rev-parse', 'HEAD');
    // Someone rewrites the remote's history: the second commit replaced by another.
    git(r.authoring, 'reset', '-q', '--hard', 'HEAD~1');
    r.commit('Rewritten', { 'index.md': 'Rewritten version\n' });
    git(r.authoring, 'push', '-q', '--force', r.bare, 'main');
    expect(await f.update('webhook')).toBe('rewritten');
    expect(git(r.delivery, 'rev-parse', 'HEAD')).toBe(served);
    expect(readFileSync(path.join(r.delivery, 'index.md'), 'utf8')).toBe('Second version\n');
    expect(f.status().reason).toMatch(/does not continue this server's \(rewritten or forced\): refused/);
    expect(f.contentStatus(CURRENT).state).toBe('stale');
    expect(reloads).toHaveLength(1);
  });

  it('follows on its timer, runs one update at a time, and needs a clone on a branch', async () => {
    const r = repositories();
    const { f } = follower(r.delivery, r.remote, 200);
    await f.start();
    r.commit('Second', { 'index.md': 'Timer version\n' });
    git(r.authoring, 'push', '-q', r.bare, 'main');
    await waitFor(
      () => readFileSync(path.join(r.delivery, 'index.md'), 'utf8') === 'Timer version\n' || undefined,
      5_000,
      'the timer to fetch',
    );
    const outcomes = await Promise.all([1, 2, 3, 4, 5].map(() => f.update('burst')));
    expect(outcomes.every((o) => o === 'unchanged')).toBe(true);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'not-a-clone-'));
    cleanups.push(() => rmSync(plain, { recursive: true, force: true }));
    const lost = follower(plain, r.remote);
    await expect(lost.f.start()).rejects.toThrow(/is not in a git repository: make it a clone/);
  });
});

describe('the authoring server pushing to the content remote', () => {
  it('pushes each commit, never forced, and retries until the remote takes it', async () => {
    const r = repositories();
    const log = capturedLogger();
    const pusher = new RemotePusher({ contentDir: r.authoring, remote: r.remote, logger: log.logger, retryMs: 200 });
    cleanups.push(() => pusher.close());
    const head = r.commit('Second', { 'index.md': 'Pushed\n' });
    // A change waiting for review is a branch of the authoring repository: it is never pushed.
    git(r.authoring, 'branch', 'review/0123456789abcdef0123', 'HEAD');
    await pusher.push();
    expect(git(r.bare, 'rev-parse', 'main')).toBe(head);
    expect(git(r.bare, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main');
    expect(pusher.status()).toEqual({ state: 'current', pushed: head, problem: null });
    // Unreachable: behind, with the reason; taken by a retry once the remote is back.
    const moved = `${r.bare}.away`;
    renameSync(r.bare, moved);
    const next = r.commit('Third', { 'index.md': 'While away\n' });
    await pusher.push();
    expect(pusher.status()).toMatchObject({ state: 'behind', pushed: head });
    expect(pusher.status().problem).toBeTruthy();
    renameSync(moved, r.bare);
    await waitFor(() => pusher.status().state === 'current' || undefined, 5_000, 'the retry');
    expect(git(r.bare, 'rev-parse', 'main')).toBe(next);
    // A remote holding commits this server lacks is never overwritten.
    const other = path.join(r.root, 'other');
    git(r.root, 'clone', '-q', r.bare, other);
    writeFileSync(path.join(other, 'index.md'), 'Pushed by someone else\n');
    git(other, 'commit', '-qam', 'Elsewhere');
    git(other, 'push', '-q', 'origin', 'main');
    const theirs = git(r.bare, 'rev-parse', 'main');
    r.commit('Fourth', { 'index.md': 'Mine\n' });
    await pusher.push();
    expect(pusher.status().state).toBe('behind');
    expect(git(r.bare, 'rev-parse', 'main')).toBe(theirs);
    expect(existsSync(r.bare)).toBe(true);
  });

  it('never shows a token held in the remote address', () => {
    const remote = {
      kind: 'https' as const,
      url: new Secret('https://deploy:s3cret-token@git.example.org/site.git'),
      display: 'https://git.example.org/site.git',
    };
    const error = new GitError(
      ['push'],
      128,
      "fatal: unable to access 'https://deploy:s3cret-token@git.example.org/site.git/': Could not resolve host",
    );
    const text = remoteMessage(error, remote);
    expect(text).toContain('https://git.example.org/site.git');
    expect(text).not.toContain('s3cret');
  });
});
