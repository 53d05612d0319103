/**
 * Limits on failed sign-ins, so that passwords cannot be guessed: per user
 * name (normalised, so changing the letter case does not start a new count)
 * together with the address, and per address alone. A limited attempt is
 * answered 429 with Retry-After, before the password is even checked.
 */
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';

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

  /** Seconds to wait before trying again; 0 when a try is allowed now. */
  async retryAfter(normalisedName: string, address: string): Promise<number> {
    const [pair, addr] = await Promise.all([
      this.byUserAndAddress.get(key(normalisedName, address)),
      this.byAddress.get(address),
    ]);
    const wait = (res: RateLimiterRes | null, limit: number) =>
      res && res.consumedPoints >= limit ? res.msBeforeNext : 0;
    const ms = Math.max(wait(pair, this.byUserAndAddress.points), wait(addr, this.byAddress.points));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  async failed(normalisedName: string, address: string): Promise<void> {
    await Promise.all([
      this.byUserAndAddress.penalty(key(normalisedName, address), 1),
      this.byAddress.penalty(address, 1),
    ]);
  }

  /** A success clears the count for that name from that address. */
  async succeeded(normalisedName: string, address: string): Promise<void> {
    await this.byUserAndAddress.delete(key(normalisedName, address));
  }
}

function key(name: string, address: string): string {
  return JSON.stringify([name, address]);
}
