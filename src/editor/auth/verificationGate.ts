/**
 * Password checks are slow on purpose (Argon2id: memory and time), and they
 * run on Node's small thread pool, which also reads files and compresses
 * responses for the public site. This gate bounds them: at most `concurrent`
 * at once for the whole server, one at a time for each key (a user name with
 * an address), and at most `queued` waiting. Past that an attempt is turned
 * away at once (the caller answers 429 with Retry-After), so a flood of
 * sign-ins waits its turn instead of starving everything else.
 */

export interface GateSettings {
  /** Password checks running at once, for the whole server. */
  concurrent: number;
  /** Attempts waiting for their turn; more are turned away. */
  queued: number;
}

/** Two of the thread pool's four threads at most: file reads and compression keep the others. */
export const DEFAULT_GATE: GateSettings = { concurrent: 2, queued: 32 };

export type GateOutcome<T> = { ran: true; value: T } | { ran: false };

export class VerificationGate {
  private active = 0;
  /** Admitted and not finished: running, waiting for a slot, or waiting behind the same key. */
  private admitted = 0;
  private readonly waiting: Array<() => void> = [];
  /** The last admitted check of each key: the next one of that key starts after it. */
  private readonly lastOfKey = new Map<string, Promise<void>>();
  private readonly runningPerKey = new Map<string, number>();
  #peak = 0;
  #peakPerKey = 0;

  constructor(private readonly settings: GateSettings = DEFAULT_GATE) {}

  /** The most checks that ran at once, for the whole server and for one key (for tests and monitoring). */
  get peak(): number {
    return this.#peak;
  }

  get peakPerKey(): number {
    return this.#peakPerKey;
  }

  /** Runs `task` in its turn; `{ ran: false }`, without running it, when too many are waiting already. */
  async run<T>(key: string, task: () => Promise<T>): Promise<GateOutcome<T>> {
    if (this.admitted >= this.settings.concurrent + this.settings.queued) return { ran: false };
    this.admitted++;
    const before = this.lastOfKey.get(key);
    let finished!: () => void;
    const mine = new Promise<void>((resolve) => (finished = resolve));
    this.lastOfKey.set(key, mine);
    try {
      if (before) await before;
      await this.slot();
      const running = (this.runningPerKey.get(key) ?? 0) + 1;
      this.runningPerKey.set(key, running);
      this.#peakPerKey = Math.max(this.#peakPerKey, running);
      try {
        return { ran: true, value: await task() };
      } finally {
        if (running === 1) this.runningPerKey.delete(key);
        else this.runningPerKey.set(key, running - 1);
        this.release();
      }
    } finally {
      finished();
      if (this.lastOfKey.get(key) === mine) this.lastOfKey.delete(key);
      this.admitted--;
    }
  }

  private slot(): Promise<void> {
    if (this.active < this.settings.concurrent) {
      this.take();
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.take();
        resolve();
      }),
    );
  }

  private take(): void {
    this.active++;
    this.#peak = Math.max(this.#peak, this.active);
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}
