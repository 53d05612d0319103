/**
 * Limits on sign-in attempts, so that passwords cannot be guessed: per user
 * name (normalised, so changing the letter case does not start a new count)
 * together with the address, and per address alone. An attempt is counted
 * before its password is checked, so that attempts sent all at once cannot
 * slip past the limit while the first ones are still being checked; a
 * correct password then clears the count for that name and address and
 * gives back the address's point (the address limit counts failures).
 * An attempt past a limit is answered 429 with Retry-After, unchecked.
 * An address is counted as its group (see addressGroup): an IPv6 client
 * has a whole /64 network to itself, so its addresses count as one.
 */
import { isIPv6 } from 'node:net';
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

/** An attempt past a limit. */
export interface Refusal {
  /** Whole seconds until the limit lifts. */
  retryAfter: number;
  /** Which counter refused it (a name with an address group, or an address group), for tallying refusals. */
  limit: string;
}

export class SignInLimits {
  private readonly byUserAndAddress: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;
  /** How long a count lasts, and a limit reached holds. */
  readonly windowMs: number;

  constructor(settings: LimitSettings = DEFAULT_LIMITS) {
    this.windowMs = settings.windowSeconds * 1000;
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
   * Returns null when it may go ahead, or the refusal when a limit is
   * reached (then nothing is counted against the other limit).
   */
  async attempt(normalisedName: string, address: string): Promise<Refusal | null> {
    const group = addressGroup(address);
    const pair = key(normalisedName, group);
    const wait = await waitFrom(this.byUserAndAddress.consume(pair));
    if (wait > 0) return { retryAfter: wait, limit: `name and address ${pair}` };
    const addressWait = await waitFrom(this.byAddress.consume(group));
    if (addressWait === 0) return null;
    await this.byUserAndAddress.reward(pair, 1);
    return { retryAfter: addressWait, limit: `address ${group}` };
  }

  /** An attempt that was counted but never checked (the server was too busy): it costs nothing. */
  async notChecked(normalisedName: string, address: string): Promise<void> {
    const group = addressGroup(address);
    await Promise.all([this.byUserAndAddress.reward(key(normalisedName, group), 1), this.byAddress.reward(group, 1)]);
  }

  /** A success clears the count for that name from that address, and is no failure of the address. */
  async succeeded(normalisedName: string, address: string): Promise<void> {
    const group = addressGroup(address);
    await Promise.all([this.byUserAndAddress.delete(key(normalisedName, group)), this.byAddress.reward(group, 1)]);
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

/**
 * What one client counts as: an IPv4 address (also when written mapped into
 * IPv6), or an IPv6 address's /64 network, which one household or office
 * gets whole. Anything else is itself.
 */
export function addressGroup(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(plain);
  if (mapped) return mapped[1]!;
  if (!isIPv6(plain)) return address;
  return `${hextets(plain).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, "::" filled in, a dotted IPv4 ending turned into two groups. */
function hextets(address: string): string[] {
  let text = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - front.length - back.length).fill('0');
  return [...front, ...zeros, ...back].map((group) => parseInt(group, 16).toString(16));
}

function key(name: string, address: string): string {
  return JSON.stringify([name, address]);
}
