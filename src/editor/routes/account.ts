/**
 * Signing in and out. An unknown user name and a wrong password get the
 * same answer, byte for byte, after the same work (a password is always
 * verified, against a dummy hash when the name is unknown). Attempts count
 * per normalised user name with the address, and per address, before the
 * password is checked; past the limit the answer is 429 with Retry-After,
 * and no password is checked. Password checks go through a gate that bounds
 * how many run at once, so that sign-ins never starve the public site.
 */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { MAX_PASSWORD_LENGTH, hashPassword, needsRehash, verifyPassword } from '../auth/passwords.js';
import { addressGroup } from '../auth/signInLimits.js';
import { RefusalTally } from '../audit/refusalTally.js';
import type { EditorContext, EditorRoute } from '../context.js';
import { clearCookie, readCookie, safeNext, seeOther, sendHtml, setCookie, SIGN_IN_COOKIE } from '../http.js';
import { SESSION_COOKIE } from '../session/sessions.js';
import { normaliseUsername } from '../users/users.js';

const FAILURE = 'Enter a correct username and password. Both are case-sensitive apart from the username.';
/** When the server is too busy checking passwords: a short wait, since the queue moves in milliseconds. */
const BUSY_RETRY_SECONDS = 5;

export function accountRoutes(context: EditorContext): EditorRoute {
  const refusals = new RefusalTally(context.limits.windowMs, context.now);
  return async (req, res) => {
    if (req.path === '/edit/sign-in' && (req.method === 'GET' || req.method === 'HEAD')) {
      if (res.locals.editor) {
        seeOther(res, '/edit/');
        return true;
      }
      showSignIn(context, req, res, 200, {});
      return true;
    }
    if (req.path === '/edit/sign-in' && req.method === 'POST') {
      await signIn(context, refusals, req, res);
      return true;
    }
    if (req.path === '/edit/sign-out' && req.method === 'POST') {
      const editor = res.locals.editor!;
      await context.sessions.end(editor.claims);
      clearCookie(res, SESSION_COOKIE);
      await context.audit.record({ event: 'sign-out', user: editor.user.name, from: res.locals.clientAddress! });
      seeOther(res, '/edit/sign-in?signed-out=1');
      return true;
    }
    return false;
  };
}

function showSignIn(
  context: EditorContext,
  req: Request,
  res: Response,
  status: number,
  options: { failed?: boolean; next?: string },
): void {
  // The sign-in form's token is bound to a random value in a cookie of its own (there is no session yet).
  let nonce = readCookie(req, SIGN_IN_COOKIE);
  if (!nonce || !/^[A-Za-z0-9_-]{24}$/.test(nonce)) {
    nonce = randomBytes(18).toString('base64url');
    setCookie(res, SIGN_IN_COOKIE, nonce, { sameSite: 'Strict', maxAgeSeconds: 2 * 60 * 60 });
  }
  const signedOut = req.method === 'GET' && req.query['signed-out'] === '1';
  const expired = req.method === 'GET' && req.query.next !== undefined;
  sendHtml(
    res,
    status,
    context.views.render('sign-in', {
      pageTitle: 'Sign in',
      token: context.sessions.signInToken(nonce),
      next: options.next ?? safeNext(req.query.next),
      notice: signedOut ? 'You have signed out.' : expired ? 'Sign in to continue.' : undefined,
      errors: options.failed ? [{ text: FAILURE, href: '#username' }] : [],
      fieldErrors: options.failed ? { username: { text: FAILURE } } : {},
    }),
  );
}

async function signIn(context: EditorContext, refusals: RefusalTally, req: Request, res: Response): Promise<void> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const nonce = readCookie(req, SIGN_IN_COOKIE);
  const next = safeNext(body.next);
  if (!nonce || !context.sessions.checkToken(context.sessions.signInToken(nonce), body.token)) {
    showSignIn(context, req, res, 403, { next });
    return;
  }
  const rawName = typeof body.username === 'string' ? body.username : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const name = normaliseUsername(rawName).slice(0, 64);
  const address = res.locals.clientAddress!;

  // Counted before the password is checked, so that a flood of attempts sent at once meets the limit too.
  const refusal = await context.limits.attempt(name, address);
  if (refusal) {
    // A few lines per limit and window, each with the count so far: a flood cannot write the log full.
    const tally = refusals.note(refusal.limit);
    if (tally.record) {
      const tried = await triedName(context, name);
      const before = tally.before === undefined ? '' : ` (in the window before: ${tally.before})`;
      const count = `refused attempts so far: ${tally.count}${before}`;
      await context.audit.record({
        event: 'sign-in-limited',
        user: tried.user,
        from: address,
        detail: tried.detail ? `${tried.detail}; ${count}` : count,
      });
    }
    const wait = refusal.retryAfter;
    tooMany(context, res, wait, [
      `Signing in has failed too many times. Wait ${Math.ceil(wait / 60)} minutes, then try again.`,
      'If you have forgotten your password, ask the person who looks after this website.',
    ]);
    return;
  }

  // One check at a time per name and address, and a few at once for the whole server (see verificationGate.ts).
  const checked = await context.verifications.run(JSON.stringify([name, addressGroup(address)]), async () => {
    const user = await context.users.find(name);
    // Always one verification, so that an unknown name takes as long as a wrong password.
    const matches = await verifyPassword(
      user?.passwordHash ?? context.dummyHash,
      password.slice(0, MAX_PASSWORD_LENGTH * 4),
    );
    if (user && !user.disabled && matches && needsRehash(user.passwordHash)) {
      const upgraded = await hashPassword(password);
      await context.users.update((all) =>
        all.map((u) =>
          u.name === user.name && u.passwordHash === user.passwordHash ? { ...u, passwordHash: upgraded } : u,
        ),
      );
    }
    return { user, matches };
  });
  if (!checked.ran) {
    await context.limits.notChecked(name, address);
    tooMany(context, res, BUSY_RETRY_SECONDS, [
      'Many people are signing in at this moment. Wait a few seconds, then try again.',
    ]);
    return;
  }
  const { user, matches } = checked.value;
  if (!user || user.disabled || !matches) {
    await context.audit.record({ event: 'sign-in-failed', ...(await triedName(context, name)), from: address });
    showSignIn(context, req, res, 200, { failed: true, next });
    return;
  }
  await context.limits.succeeded(name, address);
  const session = context.sessions.start(user);
  setCookie(res, SESSION_COOKIE, session.cookie, { sameSite: 'Lax' });
  clearCookie(res, SIGN_IN_COOKIE);
  await context.audit.record({ event: 'sign-in', user: user.name, from: address });
  seeOther(res, next);
}

function tooMany(context: EditorContext, res: Response, retryAfterSeconds: number, paragraphs: string[]): void {
  res.setHeader('Retry-After', String(retryAfterSeconds));
  sendHtml(
    res,
    429,
    context.views.render('message', {
      pageTitle: 'Too many attempts',
      heading: 'Too many attempts to sign in',
      paragraphs,
    }),
  );
}

/**
 * Who a failed attempt was for, as the audit log keeps it: a user's name,
 * or no name at all when it is no user's. What was typed in "Username" is
 * often a password typed in the wrong box; it is never written down.
 */
async function triedName(context: EditorContext, name: string): Promise<{ user: string | null; detail?: string }> {
  const user = await context.users.find(name);
  return user ? { user: user.name } : { user: null, detail: 'unknown username' };
}
