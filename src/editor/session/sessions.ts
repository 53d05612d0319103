/**
 * Sessions without a session store: the cookie carries who signed in, when,
 * when they were last active and the session epoch of their user record,
 * signed with the server's key (HMAC-SHA-256). So a session survives a
 * restart, and it ends:
 * - after 30 minutes without a request, and 8 hours after sign-in;
 * - at sign-out (its id is remembered as ended until it would have expired);
 * - when the user's password or role changes or the user is disabled (the
 *   user's epoch moves on, and every session of an older epoch is refused).
 * A new random session id is made at every sign-in.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import type { Secret } from '../../config/config.js';
import { ENDED_SESSIONS_FILE, readOptional, writePrivateFile } from '../data/dataFolder.js';
import type { User, UserStore } from '../users/users.js';

/** `__Host-`: sent only to this host, over HTTPS, for every path; browsers treat http://localhost as secure too. */
export const SESSION_COOKIE = '__Host-editor-session';
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 8 * 60 * 60 * 1000;
/** Activity is written back into the cookie at most this often. */
const REFRESH_AFTER_MS = 60 * 1000;
const MAX_COOKIE_LENGTH = 1024;

export interface SessionClaims {
  /** Random session id; never logged. */
  sid: string;
  user: string;
  epoch: number;
  issued: number;
  seen: number;
}

export interface ActiveSession {
  user: User;
  claims: SessionClaims;
  /** A new cookie value when the activity time moved on; null when the cookie stands. */
  refreshed: string | null;
}

export interface SessionOptions {
  key: Secret;
  users: UserStore;
  dataDir: string;
  now?: () => number;
}

export class Sessions {
  private readonly key: Buffer;
  private readonly users: UserStore;
  private readonly endedFile: string;
  private readonly now: () => number;
  /** Hashes of signed-out session ids, with when each would have expired anyway. */
  private ended = new Map<string, number>();

  private constructor(options: SessionOptions) {
    this.key = Buffer.from(options.key.reveal(), 'base64url');
    this.users = options.users;
    this.endedFile = path.join(options.dataDir, ENDED_SESSIONS_FILE);
    this.now = options.now ?? Date.now;
  }

  static async open(options: SessionOptions): Promise<Sessions> {
    const sessions = new Sessions(options);
    const text = await readOptional(sessions.endedFile);
    if (text) {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        for (const [hash, until] of Object.entries(parsed))
          if (typeof until === 'number') sessions.ended.set(hash, until);
      } catch {
        // A damaged file loses only the memory of sign-outs; those sessions still expire by time.
      }
    }
    return sessions;
  }

  /** A new session for a user who has just proved who they are. */
  start(user: User): { cookie: string; claims: SessionClaims } {
    const now = this.now();
    const claims: SessionClaims = {
      sid: randomBytes(18).toString('base64url'),
      user: user.name,
      epoch: user.sessionEpoch,
      issued: now,
      seen: now,
    };
    return { cookie: this.sign(claims), claims };
  }

  /** The session a cookie stands for, if it is genuine and still alive. */
  async resume(cookie: string | undefined): Promise<ActiveSession | null> {
    if (!cookie || cookie.length > MAX_COOKIE_LENGTH) return null;
    const claims = this.unsign(cookie);
    if (!claims) return null;
    const now = this.now();
    if (
      now - claims.issued >= ABSOLUTE_TIMEOUT_MS ||
      now - claims.seen >= IDLE_TIMEOUT_MS ||
      claims.seen > now + 60_000
    )
      return null;
    if (this.ended.has(hashSid(claims.sid))) return null;
    const user = await this.users.find(claims.user);
    if (!user || user.disabled || user.sessionEpoch !== claims.epoch) return null;
    const refreshed = now - claims.seen >= REFRESH_AFTER_MS ? this.sign({ ...claims, seen: now }) : null;
    return { user, claims: refreshed ? { ...claims, seen: now } : claims, refreshed };
  }

  /** Ends a session for good (sign-out): a copy of its cookie is refused from now on. */
  async end(claims: SessionClaims): Promise<void> {
    const now = this.now();
    for (const [hash, until] of this.ended) if (until <= now) this.ended.delete(hash);
    this.ended.set(hashSid(claims.sid), claims.issued + ABSOLUTE_TIMEOUT_MS);
    await writePrivateFile(this.endedFile, `${JSON.stringify(Object.fromEntries(this.ended))}\n`);
  }

  /** A token for forms, bound to this session: a page from another session cannot post with it. */
  formToken(claims: SessionClaims): string {
    return this.mac(`form:${claims.sid}`);
  }

  /** A token for the sign-in form, bound to the random value of a pre-session cookie. */
  signInToken(nonce: string): string {
    return this.mac(`sign-in:${nonce}`);
  }

  /** Compares a token in constant time. */
  checkToken(expected: string, given: unknown): boolean {
    if (typeof given !== 'string' || given.length !== expected.length) return false;
    return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  private sign(claims: SessionClaims): string {
    const payload = Buffer.from(
      JSON.stringify([claims.sid, claims.user, claims.epoch, claims.issued, claims.seen]),
    ).toString('base64url');
    return `${payload}.${this.mac(`session:${payload}`)}`;
  }

  private unsign(cookie: string): SessionClaims | null {
    const dot = cookie.indexOf('.');
    if (dot <= 0) return null;
    const payload = cookie.slice(0, dot);
    if (!this.checkToken(this.mac(`session:${payload}`), cookie.slice(dot + 1))) return null;
    try {
      const [sid, user, epoch, issued, seen] = JSON.parse(
        Buffer.from(payload, 'base64url').toString('utf8'),
      ) as unknown[];
      if (
        typeof sid !== 'string' ||
        typeof user !== 'string' ||
        typeof epoch !== 'number' ||
        typeof issued !== 'number' ||
        typeof seen !== 'number'
      )
        return null;
      return { sid, user, epoch, issued, seen };
    } catch {
      return null;
    }
  }
}

function hashSid(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url');
}
