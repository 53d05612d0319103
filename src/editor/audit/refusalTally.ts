/**
 * Refused sign-in attempts, counted so that the audit log gets a few lines
 * per limit reached, not one per attempt: a flood of attempts past a limit
 * would otherwise write the log full. A line is due at the 1st, 10th, 100th
 * (and so on) refusal of one limit within its window, each with the count
 * so far; the first line of the next window also says how many were refused
 * in the window before. The tally is held in memory, bounded in size.
 */

export interface TallyNote {
  /** Whether this refusal gets an audit line. */
  record: boolean;
  /** Refusals of this limit so far in its window, this one included. */
  count: number;
  /** Refusals in this limit's window before, when this is the first of a new one. */
  before?: number;
}

/** Limits tallied at once; past this, the oldest is forgotten (its next refusal starts a new window). */
const MAX_TALLIES = 10_000;

export class RefusalTally {
  private readonly tallies = new Map<string, { until: number; count: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Notes a refusal by the limit `key` (which counter refused: a name with an address, or an address). */
  note(key: string): TallyNote {
    const now = this.now();
    const tally = this.tallies.get(key);
    if (tally && tally.until > now) {
      tally.count++;
      return { record: isPowerOfTen(tally.count), count: tally.count };
    }
    this.tallies.delete(key);
    if (this.tallies.size >= MAX_TALLIES) this.forgetOld(now);
    this.tallies.set(key, { until: now + this.windowMs, count: 1 });
    return { record: true, count: 1, ...(tally ? { before: tally.count } : {}) };
  }

  private forgetOld(now: number): void {
    for (const [key, tally] of this.tallies) if (tally.until <= now) this.tallies.delete(key);
    // Map order is insertion order: the first are the oldest.
    for (const key of this.tallies.keys()) {
      if (this.tallies.size < MAX_TALLIES) break;
      this.tallies.delete(key);
    }
  }
}

function isPowerOfTen(n: number): boolean {
  return /^10*$/.test(String(n));
}
