/**
 * Passwords: what is accepted, and how it is kept. Argon2id at the OWASP
 * cost or stronger; a hash made at a lower cost than today's is replaced at
 * the next sign-in. A password is checked against a list of common
 * passwords (the one zxcvbn uses), including common words with digits or
 * symbols added round them and repeated words.
 */
import { hash, verify } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
/** Long passphrases are welcome; this bound only stops a megabyte "password" costing the server. */
export const MAX_PASSWORD_LENGTH = 256;

export interface HashCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's minimum for Argon2id: 19 MiB, two passes, one lane. */
export const OWASP_COST: HashCost = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
/** Argon2id in @node-rs/argon2's Algorithm enum (a const enum, which isolated builds cannot import). */
const ARGON2ID = 2;

/** Fixed data, read once with the module. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'] as string[]);

/** Why a password is refused, as a sentence a person can act on; null when it is accepted. */
export function passwordProblem(password: string, username = ''): string | null {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    return (
      `Enter a password of at least ${MIN_PASSWORD_LENGTH} characters: ` +
      'a few ordinary words together make a good one'
    );
  if (length > MAX_PASSWORD_LENGTH) return `Enter a password of at most ${MAX_PASSWORD_LENGTH} characters`;
  const lower = password.normalize('NFKC').toLowerCase();
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const repeated = /^(.+?)\1+$/.exec(lower)?.[1] ?? null;
  if (
    COMMON_PASSWORDS.has(lower) ||
    (core.length >= 4 && COMMON_PASSWORDS.has(core)) ||
    (repeated !== null && (repeated.length < 4 || COMMON_PASSWORDS.has(repeated)))
  ) {
    return 'This password is on a list of common passwords that attackers try first: choose another';
  }
  if (username !== '' && lower.includes(username.toLowerCase())) return 'The password must not contain the username';
  return null;
}

export function hashPassword(password: string, cost: HashCost = OWASP_COST): Promise<string> {
  return hash(password, { ...cost, algorithm: ARGON2ID });
}

/** Never throws: a malformed stored hash is simply not a match. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** True when the stored hash is not Argon2id at least as costly as `cost`. */
export function needsRehash(stored: string, cost: HashCost = OWASP_COST): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!m) return true;
  return Number(m[1]) < cost.memoryCost || Number(m[2]) < cost.timeCost || Number(m[3]) < cost.parallelism;
}
