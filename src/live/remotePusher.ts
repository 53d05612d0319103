/**
 * The authoring server keeping the content remote up to date: after each
 * commit of the content store (a save, a publication, a restore) it pushes
 * its branch to CONTENT_GIT_REMOTE, where delivery servers and CI fetch it.
 * Pushes run one at a time; commits made during one are pushed by one more.
 * A push that fails (the remote unreachable, or holding commits this server
 * does not have) is retried on a timer until it succeeds; meanwhile the
 * editor works as usual and nothing is lost, since every commit stays here.
 * Pushes are never forced.
 */
import type { Logger } from '../logger.js';
import { currentBranch, headCommit, pushBranch, remoteMessage, type RemoteAddress } from '../store/gitRemote.js';
import { systemClock, type Clock } from './liveSite.js';

export interface PushStatus {
  /** current: the remote has this server's newest commit; behind: it does not (yet). */
  state: 'current' | 'behind';
  /** The newest commit the remote is known to have. */
  pushed: string | null;
  /** Why the last push failed; null after a success. */
  problem: string | null;
}

export interface PusherOptions {
  contentDir: string;
  remote: RemoteAddress;
  logger: Logger;
  retryMs: number;
  clock?: Clock;
}

export class RemotePusher {
  private readonly clock: Clock;
  private current: PushStatus = { state: 'behind', pushed: null, problem: null };
  private running: Promise<void> | null = null;
  private again = false;
  private cancelRetry: (() => void) | null = null;
  private closed = false;

  constructor(private readonly options: PusherOptions) {
    this.clock = options.clock ?? systemClock;
  }

  status(): PushStatus {
    return this.current;
  }

  /** Pushes soon: now, or after the push under way. Resolves when a push that includes this request has ended. */
  push(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running.then(() => this.running ?? undefined);
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.again && !this.closed) {
        this.again = false;
        void this.push();
      }
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  private async run(): Promise<void> {
    const { contentDir, remote, logger } = this.options;
    this.cancelRetry?.();
    this.cancelRetry = null;
    const head = await headCommit(contentDir);
    if (head === null || head === this.current.pushed) return;
    try {
      await pushBranch(contentDir, remote, await currentBranch(contentDir));
      this.current = { state: 'current', pushed: head, problem: null };
      logger.info({ remote: remote.display, commit: head }, 'content pushed');
    } catch (error) {
      const problem = remoteMessage(error, remote);
      this.current = { ...this.current, state: 'behind', problem };
      logger.error(
        { remote: remote.display, problem, retryInMs: this.options.retryMs },
        'content push failed: delivery servers are behind until it succeeds',
      );
      if (!this.closed)
        this.cancelRetry = this.clock.setTimer(() => {
          this.cancelRetry = null;
          void this.push();
        }, this.options.retryMs);
    }
  }
}
