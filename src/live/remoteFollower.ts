/**
 * A delivery server following the content remote (`npm start` with
 * EDITOR=off and CONTENT_GIT_REMOTE): on a timer, on SIGHUP and on the
 * webhook, it fetches the branch its content folder's clone has checked
 * out and, when the remote moved on, fast-forwards to it and reloads the
 * files that changed through the live site (one atomic swap; a version with
 * errors is not served, as for a broken edit).
 *
 * It never takes history that does not continue its own (a force-push, a
 * rewritten commit): it keeps serving what it has and reports the content
 * as stale, like a remote it cannot reach. Updates run one at a time; asking
 * during one runs one more afterwards, however often it is asked.
 */
import { isContentPath } from '../content/readContentFolder.js';
import type { Logger } from '../logger.js';
import {
  changedPaths,
  currentBranch,
  fastForward,
  fetchBranch,
  headCommit,
  isAncestor,
  remoteMessage,
  type RemoteAddress,
} from '../store/gitRemote.js';
import { systemClock, type Clock, type ContentStatus, type LiveSite } from './liveSite.js';

export interface FollowStatus {
  /** current: the last fetch found nothing newer, or the newer commit was taken. stale: it was not. */
  state: 'current' | 'stale' | 'starting';
  /** Why the content is stale, in a sentence; null when current. */
  reason: string | null;
  /** The commit checked out (and served, unless the content has errors). */
  commit: string | null;
  /** When the remote last answered. */
  lastContactAt: number | null;
}

export type FollowOutcome = 'unchanged' | 'updated' | 'unreachable' | 'rewritten' | 'failed';

export interface FollowerOptions {
  contentDir: string;
  remote: RemoteAddress;
  live: Pick<LiveSite, 'reload'>;
  logger: Logger;
  intervalMs: number;
  clock?: Clock;
}

export class RemoteFollower {
  private readonly clock: Clock;
  private branch: string | null = null;
  private current: FollowStatus = { state: 'starting', reason: null, commit: null, lastContactAt: null };
  private running: Promise<FollowOutcome> | null = null;
  private again: Promise<FollowOutcome> | null = null;
  private cancelTimer: (() => void) | null = null;
  private closed = false;

  constructor(private readonly options: FollowerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Checks the content folder is a clone on a branch, then follows: at once, then on the timer. */
  async start(): Promise<void> {
    this.branch = await currentBranch(this.options.contentDir);
    this.current = { ...this.current, commit: await headCommit(this.options.contentDir) };
    this.schedule(0);
  }

  status(): FollowStatus {
    return this.current;
  }

  /** The live site's status, made stale when the remote could not be followed. */
  contentStatus(live: ContentStatus): ContentStatus & { staleReason?: string } {
    if (this.current.state !== 'stale' || live.state === 'none') return live;
    return { ...live, state: 'stale', staleReason: this.current.reason ?? 'the content remote cannot be followed' };
  }

  /** Fetches now (the webhook, SIGHUP); resolves when an update begun after this call has finished. */
  update(reason: string): Promise<FollowOutcome> {
    if (this.closed) return Promise.resolve('unchanged');
    if (!this.running) {
      this.running = this.run(reason).finally(() => {
        this.running = null;
      });
      return this.running;
    }
    // One is under way: one more afterwards serves every request made meanwhile.
    this.again ??= this.running.then(() => {
      this.again = null;
      return this.update(reason);
    });
    return this.again;
  }

  close(): void {
    this.closed = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private schedule(ms: number): void {
    this.cancelTimer?.();
    if (this.closed) return;
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = null;
      void this.update('timer').finally(() => this.schedule(this.options.intervalMs));
    }, ms);
  }

  private async run(reason: string): Promise<FollowOutcome> {
    const { contentDir, remote, logger } = this.options;
    const branch = this.branch ?? (this.branch = await currentBranch(contentDir));
    const local = await headCommit(contentDir);
    let fetched: string;
    try {
      fetched = await fetchBranch(contentDir, remote, branch);
    } catch (error) {
      const why = remoteMessage(error, remote);
      this.stale(`the content remote ${remote.display} could not be reached (${why})`, local);
      logger.error({ remote: remote.display, reason, problem: why }, 'content remote unreachable: still serving');
      return 'unreachable';
    }
    const contact = this.clock.now();
    if (fetched === local) {
      this.current = { state: 'current', reason: null, commit: local, lastContactAt: contact };
      return 'unchanged';
    }
    if (local !== null && !(await isAncestor(contentDir, local, fetched))) {
      this.stale(
        `the history of ${remote.display} does not continue this server's (rewritten or forced): refused`,
        local,
        contact,
      );
      logger.error(
        { remote: remote.display, serving: local, offered: fetched },
        'content remote history was rewritten: refused, still serving the previous version',
      );
      return 'rewritten';
    }
    try {
      const paths = local === null ? null : await changedPaths(contentDir, local, fetched);
      await fastForward(contentDir, fetched);
      const content = paths === null ? 'all' : paths.filter(isContentPath);
      logger.info(
        { remote: remote.display, from: local, to: fetched, files: paths?.length ?? null },
        'content updated',
      );
      this.current = { state: 'current', reason: null, commit: fetched, lastContactAt: contact };
      if (content === 'all' || content.length > 0)
        await this.options.live.reload({ content, reason: 'content remote' });
      return 'updated';
    } catch (error) {
      const why = remoteMessage(error, remote);
      this.stale(`the content could not be updated to the remote's version (${why})`, local, contact);
      logger.error({ remote: remote.display, problem: why }, 'content update failed: still serving');
      return 'failed';
    }
  }

  private stale(reason: string, commit: string | null, contact: number | null = this.current.lastContactAt): void {
    this.current = { state: 'stale', reason, commit, lastContactAt: contact };
  }
}
