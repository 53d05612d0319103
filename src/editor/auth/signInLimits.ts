/**
 * Limits on sign-in attempts, so that passwords cannot be guessed: per user
 * name (normalised, so changing the letter case does not start a new count)
 * together with the address, and per address alone. An attempt is counted
 * before its password is checked, so that attempts sent all at once cannot
 * slip past the limit while the first ones are still being checked; a
 * correct password then clears the count for that name and address and
 * gives back the address's point (the address limit counts failures).
 * An attempt past a limit is answered 429 with Retry-After, unchecked.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface LimitSettings {
  /** Failures allowed for one user name from one address... */
  perUserAndAddress: number;
  /** ...and from one address, whatever the names... */
  perAddress: number;
  /** ...within this many seconds; then blocked for as long. */
  windowSeconds: number;
}

export const DEFAULT_LIMITS: LimitSettings = { perUserAndAddress: 5, perAddress: 50, windowSeconds: 15 * 60 };

export class SignInLimits {
  private readonly byUserAndAddress: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(settings: LimitSettings = DEFAULT_LIMITS) {
    this.byUserAndAddress = new RateLimiterMemory({
      points: settings.perUserAndAddress,
      duration: settings.windowSeconds,
      blockDuration: settings.windowSeconds,
    });
    this.byAddress = new RateLimiterMemory({
      points: settings.perAddress,
      duration: settings.windowSeconds,
      blockDuration: settings.windowSeconds,
    });
  }

  /**
   * Counts an attempt against both limits, before its password is checked.
   * Returns 0 when it may go ahead, or the seconds to wait when a limit is
   * reached (then nothing is counted against the other limit).
   */
  async attempt(normalisedName: string, address: string): Promise<number> {
    const pair = key(normalisedName, address);
    const wait = await waitFrom(this.byUserAndAddress.consume(pair));
    if (wait > 0) return wait;
    const addressWait = await waitFrom(this.byAddress.consume(address));
    if (addressWait > 0) await this.byUserAndAddress.reward(pair, 1);
    return addressWait;
  }

  /** An attempt that was counted but never checked (the server was too busy): it costs nothing. */
  async notChecked(normalisedName: string, address: string): Promise<void> {
    await Promise.all([
      this.byUserAndAddress.reward(key(normalisedName, address), 1),
      this.byAddress.reward(address, 1),
    ]);
  }

  /** A success clears the count for that name from that address, and is no failure of the address. */
  async succeeded(normalisedName: string, address: string): Promise<void> {
    await Promise.all([this.byUserAndAddress.delete(key(normalisedName, address)), this.byAddress.reward(address, 1)]);
  }
}

/** 0 when the point was consumed; otherwise whole seconds until the limit lifts (at least 1). */
async function waitFrom(consumed: Promise<RateLimiterRes>): Promise<number> {
  try {
    await consumed;
    return 0;
  } catch (refused) {
    if (!(refused instanceof RateLimiterRes)) throw refused;
    return Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
  }
}

function key(name: string, address: string): string {
  return JSON.stringify([name, address]);
}
