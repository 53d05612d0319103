/**
 * Signing in: the same answer for an unknown name and a wrong password,
 * limits that a changed letter case does not get round, the session cookie's
 * attributes, and every way a session ends (sign-out, a changed password or
 * role, disabling, 30 minutes idle, 8 hours in all), while it survives a
 * server restart.
 */
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { runUserCommand } from '../../src/cli/userCommand.js';
import { createEditor } from '../../src/editor/editorApp.js';
import { createLogger } from '../../src/logger.js';
import { createSiteHandler } from '../../src/server/handler.js';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';

const editors: TestEditor[] = [];
afterEach(() => {
  while (editors.length) editors.pop()!.close();
});
async function editor(options: Parameters<typeof testEditor>[0] = {}): Promise<TestEditor> {
  const t = await testEditor(options);
  editors.push(t);
  return t;
}

async function signInForm(b: Browser): Promise<string> {
  return Browser.token((await b.get('/edit/sign-in')).text);
}

/** Sends every attempt at once, each on its own connection to a real server, as a flood of clients would. */
async function concurrentSignIns(
  t: TestEditor,
  b: Browser,
  attempts: ReadonlyArray<{ username: string; password: string }>,
): Promise<Array<{ status: number; retryAfter: string | undefined }>> {
  const token = await signInForm(b);
  const server = http.createServer(t.handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    return await Promise.all(
      attempts.map(
        ({ username, password }) =>
          new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
            const body = new URLSearchParams({ token, username, password, next: '/edit/' }).toString();
            const req = http.request(
              {
                host: '127.0.0.1',
                port,
                path: '/edit/sign-in',
                method: 'POST',
                agent: false,
                headers: {
                  'Content-Type': 'application/x-www-form-urlencoded',
                  'Content-Length': Buffer.byteLength(body),
                  'Sec-Fetch-Site': 'same-origin',
                  Cookie: b.cookieHeader(),
                },
              },
              (res) => {
                res.resume();
                res.on('end', () =>
                  resolve({
                    status: res.statusCode ?? 0,
                    retryAfter: res.headers['retry-after'] as string | undefined,
                  }),
                );
              },
            );
            req.on('error', reject);
            req.end(body);
          }),
      ),
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function auditEvents(t: TestEditor, event: string): Array<Record<string, unknown>> {
  return readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((r) => r.event === event);
}

describe('signing in', () => {
  it('gives byte-identical answers to an unknown user and a wrong password, after the same work', async () => {
    const t = await editor();
    const b = new Browser(t.handler);
    const token = await signInForm(b);
    const attempt = async (username: string) => {
      const started = performance.now();
      const res = await b.post('/edit/sign-in', {
        token,
        username,
        password: 'not the password at all',
        next: '/edit/',
      });
      return { res, ms: performance.now() - started };
    };
    const unknown = await attempt('nobody');
    const wrong = await attempt('alice');
    expect(unknown.res.status).toBe(200);
    expect(wrong.res.status).toBe(200);
    expect(Buffer.from(unknown.res.text)).toEqual(Buffer.from(wrong.res.text));
    const headers = (r: request.Response) =>
      Object.entries(r.headers).filter(([k]) => !['date', 'x-request-id'].includes(k));
    expect(headers(unknown.res)).toEqual(headers(wrong.res));
    expect(unknown.res.headers['set-cookie']).toBeUndefined();
    expect(wrong.res.text).toContain('Enter a correct username and password');
    // Both verified a password: neither answered in a fraction of a hash's time.
    const times: Record<string, number[]> = { unknown: [], wrong: [] };
    for (let i = 0; i < 3; i++) {
      times.unknown!.push((await attempt(`nobody${i}`)).ms);
      times.wrong!.push((await attempt('alice')).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const ratio = median(times.unknown!) / median(times.wrong!);
    expect(ratio).toBeGreaterThan(0.33);
    expect(ratio).toBeLessThan(3);
  });

  it('limits failures per user name and address, whatever the letter case, with 429 and Retry-After', async () => {
    const t = await editor({ limits: { perUserAndAddress: 3, perAddress: 100, windowSeconds: 900 } });
    const b = new Browser(t.handler);
    const token = await signInForm(b);
    const spellings = ['alice', 'ALICE', 'Alice', ' alice ', 'ａｌｉｃｅ'];
    const statuses: number[] = [];
    for (const username of spellings) {
      statuses.push(
        (await b.post('/edit/sign-in', { token, username, password: 'wrong password here', next: '/edit/' })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await b.post('/edit/sign-in', {
      token,
      username: 'Alice',
      password: PASSWORDS.alice,
      next: '/edit/',
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['set-cookie']).toBeUndefined();
    // Another user from the same address is not locked out by Alice's failures.
    expect((await b.signIn('bob', PASSWORDS.bob)).status).toBe(303);
    const log = readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8');
    expect(log).toContain('"event":"sign-in-limited"');
    expect(log).not.toContain('wrong password here');
  });

  it('limits failures per address too, across user names', async () => {
    const t = await editor({ limits: { perUserAndAddress: 100, perAddress: 4, windowSeconds: 900 } });
    const b = new Browser(t.handler);
    const token = await signInForm(b);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await b.post('/edit/sign-in', {
            token,
            username: `user${i}`,
            password: 'wrong password here',
            next: '/edit/',
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it(
    'sets a __Host- session cookie, HttpOnly, Secure, SameSite=Lax,' +
      ' with a new id at every sign-in; the sign-in form needs its own token',
    async () => {
      const t = await editor();
      const b = new Browser(t.handler);
      const res = await b.signIn('alice', PASSWORDS.alice);
      expect(res.headers.location).toBe('/edit/');
      const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith('__Host-editor-session='),
      )!;
      expect(cookie).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
      expect(cookie).not.toMatch(/Domain=/i);
      const first = b.cookies.get('__Host-editor-session');
      // Signing in again (after signing out) makes a new session id, never reusing one.
      await b.post('/edit/sign-out', { token: Browser.token((await b.get('/edit/')).text) });
      await b.signIn('alice', PASSWORDS.alice);
      const sid = (cookie: string) =>
        JSON.parse(Buffer.from(cookie.split('.')[0]!, 'base64url').toString('utf8'))[0] as string;
      expect(sid(b.cookies.get('__Host-editor-session')!)).not.toBe(sid(first!));
      // Without the sign-in cookie's token, no sign-in (login CSRF).
      const stranger = await request(t.handler)
        .post('/edit/sign-in')
        .type('form')
        .send({ username: 'alice', password: PASSWORDS.alice });
      expect(stranger.status).toBe(403);
    },
  );

  it('never shows or logs the password or the session id', async () => {
    const t = await editor();
    const b = new Browser(t.handler);
    const token = await signInForm(b);
    const res = await b.post('/edit/sign-in', {
      token,
      username: 'alice',
      password: 'a wrong but secret phrase',
      next: '/edit/',
    });
    expect(res.text).not.toContain('a wrong but secret phrase');
    await b.signIn('alice', PASSWORDS.alice);
    const sid = b.cookies.get('__Host-editor-session')!;
    const log = readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8');
    for (const secret of [PASSWORDS.alice, 'a wrong but secret phrase', sid, sid.split('.')[0]!])
      expect(log).not.toContain(secret);
  });
});

describe('the audit of failed sign-ins', () => {
  it('keeps a known username, never a name that is no user (often a password typed in the wrong box)', async () => {
    const t = await editor({ limits: { perUserAndAddress: 2, perAddress: 100, windowSeconds: 900 } });
    const b = new Browser(t.handler);
    const token = await signInForm(b);
    const typed = 'Tr0ub4dor&3 horse';
    for (let i = 0; i < 3; i++)
      await b.post('/edit/sign-in', { token, username: typed, password: 'whatever', next: '/edit/' });
    await b.post('/edit/sign-in', { token, username: 'ALICE', password: 'not her password', next: '/edit/' });
    const log = readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8');
    expect(log.toLowerCase()).not.toContain(typed.toLowerCase());
    expect(auditEvents(t, 'sign-in-failed')).toEqual([
      expect.objectContaining({ user: null, detail: 'unknown username' }),
      expect.objectContaining({ user: null, detail: 'unknown username' }),
      expect.objectContaining({ user: 'alice' }),
    ]);
    expect(auditEvents(t, 'sign-in-limited')).toEqual([expect.objectContaining({ user: null })]);
    const admin = new Browser(t.handler);
    await admin.signIn('bob', PASSWORDS.bob);
    const activity = (await admin.get('/edit/activity')).text;
    expect(activity.toLowerCase()).not.toContain(typed.toLowerCase().replace('&', '&amp;'));
    expect(activity).toContain('unknown username');
  });
});

describe('the audit of refused sign-ins', () => {
  it('is a few lines with a count, not a line per refused attempt', async () => {
    const t = await editor({ limits: { perUserAndAddress: 2, perAddress: 1000, windowSeconds: 900 } });
    const b = new Browser(t.handler);
    const results = await concurrentSignIns(
      t,
      b,
      Array.from({ length: 160 }, () => ({ username: 'alice', password: 'a wrong guess at it' })),
    );
    const refused = results.filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThanOrEqual(150);
    const lines = auditEvents(t, 'sign-in-limited');
    // At the 1st, 10th and 100th refusal of this limit in its window: each with the count so far. The refusals
    // arrive at once and each looks up the name tried before its line is written, so the lines may come in any
    // order (one CI run had the 10th before the 1st): they are compared by their counts.
    const count = (detail: unknown) => Number(/\d+$/.exec(String(detail))?.[0]);
    expect(lines.map((l) => l.detail).sort((x, y) => count(x) - count(y))).toEqual([
      'refused attempts so far: 1',
      'refused attempts so far: 10',
      'refused attempts so far: 100',
    ]);
    expect(lines.every((l) => l.user === 'alice')).toBe(true);
  });
});

describe('signing in under a flood of concurrent attempts', () => {
  it('verifies no more wrong passwords than the limit allows, however many arrive at once', async () => {
    const t = await editor();
    const b = new Browser(t.handler);
    const results = await concurrentSignIns(
      t,
      b,
      Array.from({ length: 120 }, () => ({ username: 'alice', password: 'a wrong guess at it' })),
    );
    const verified = results.filter((r) => r.status === 200).length;
    const limited = results.filter((r) => r.status === 429);
    // The default limit is 5 failures per name and address: the rest are refused before any password is checked.
    expect(verified).toBeLessThanOrEqual(5);
    expect(limited.length).toBeGreaterThanOrEqual(115);
    expect(limited.every((r) => Number(r.retryAfter) > 0)).toBe(true);
    expect(auditEvents(t, 'sign-in-failed').length).toBe(verified);
    // Alice's right password is refused too while the limit lasts.
    expect((await b.signIn('alice', PASSWORDS.alice)).status).toBe(429);
  });

  it('checks one password at a time per name and address, and a bounded number at once in all', async () => {
    const t = await editor({
      limits: { perUserAndAddress: 1000, perAddress: 1000, windowSeconds: 900 },
      verifications: { concurrent: 2, queued: 6 },
    });
    const b = new Browser(t.handler);
    const results = await concurrentSignIns(
      t,
      b,
      Array.from({ length: 40 }, (_, i) => ({ username: `name${i % 4}`, password: 'a wrong guess at it' })),
    );
    const gate = t.editor.context.verifications;
    expect(gate.peak).toBeLessThanOrEqual(2);
    expect(gate.peakPerKey).toBe(1);
    // Past the queue, an attempt is turned away at once with Retry-After (verificationGate.test.ts shows when).
    const busy = results.filter((r) => r.status === 429);
    expect(busy.every((r) => Number(r.retryAfter) > 0)).toBe(true);
    expect(results.filter((r) => r.status === 200).length).toBe(40 - busy.length);
    // Turned away for being busy is not a failure: nothing is recorded or counted against the limits.
    expect(auditEvents(t, 'sign-in-failed').length).toBe(40 - busy.length);
    expect((await b.signIn('alice', PASSWORDS.alice)).status).toBe(303);
  });

  it('a correct password clears the count for that name and address', async () => {
    const t = await editor({ limits: { perUserAndAddress: 3, perAddress: 100, windowSeconds: 900 } });
    const b = new Browser(t.handler);
    const token = await signInForm(b);
    const wrong = () => b.post('/edit/sign-in', { token, username: 'alice', password: 'not it at all', next: '/' });
    expect((await wrong()).status).toBe(200);
    expect((await wrong()).status).toBe(200);
    expect((await new Browser(t.handler).signIn('alice', PASSWORDS.alice)).status).toBe(303);
    expect([(await wrong()).status, (await wrong()).status, (await wrong()).status, (await wrong()).status]).toEqual([
      200, 200, 200, 429,
    ]);
  });
});

describe('sessions end', () => {
  it('at sign-out, and a copy of the cookie is refused afterwards', async () => {
    const t = await editor();
    const b = new Browser(t.handler);
    await b.signIn('alice', PASSWORDS.alice);
    const copy = b.cookieHeader();
    const home = await b.get('/edit/');
    const out = await b.post('/edit/sign-out', { token: Browser.token(home.text) });
    expect([out.status, out.headers.location]).toEqual([303, '/edit/sign-in?signed-out=1']);
    expect(b.cookies.has('__Host-editor-session')).toBe(false);
    const replay = await request(t.handler).get('/edit/').set('Cookie', copy);
    expect(replay.status).toBe(303);
  });

  it(
    'when the password changes (from the command line, with the server running),' +
      ' and when the role changes or the user is disabled',
    async () => {
      const t = await editor();
      for (const change of [
        ['passwd', 'alice'],
        ['role', 'alice', 'admin'],
        ['disable', 'alice'],
      ]) {
        const b = new Browser(t.handler);
        if (change[0] === 'disable')
          await runUserCommand(['enable', 'alice'], t.dataDir, { readPassword: async () => null, now: Date.now });
        const password =
          change[0] === 'role' || change[0] === 'disable' ? 'a brand new passphrase here' : PASSWORDS.alice;
        expect((await b.signIn('alice', password)).status, change.join(' ')).toBe(303);
        expect((await b.get('/edit/')).status).toBe(200);
        const result = await runUserCommand(change, t.dataDir, {
          readPassword: async () => 'a brand new passphrase here',
          now: Date.now,
        });
        expect(result.code, result.err).toBe(0);
        const after = await b.get('/edit/');
        expect([after.status, after.headers.location], change.join(' ')).toEqual([303, '/edit/sign-in']);
      }
      // Disabled: the right password no longer signs in.
      expect((await new Browser(t.handler).signIn('alice', 'a brand new passphrase here')).status).toBe(200);
    },
  );

  it('after 30 minutes idle and 8 hours in all, and survives a server restart in between', async () => {
    let now = Date.parse('2027-01-04T09:00:00Z');
    const clock = () => now;
    const t = await editor({ now: clock });
    const b = new Browser(t.handler);
    await b.signIn('alice', PASSWORDS.alice);
    // A restart: a new editor on the same data folder accepts the session.
    const restarted = await createEditor({
      store: t.store,
      live: t.live,
      dataDir: t.dataDir,
      logger: createLogger('silent'),
      now: clock,
    });
    const handler = createSiteHandler({
      config: { trustProxy: false },
      site: () => t.live.current()!,
      logger: createLogger('silent'),
      before: [restarted.handler],
    });
    const b2 = new Browser(handler);
    for (const [k, v] of b.cookies) b2.cookies.set(k, v);
    // Active every 29 minutes, the session lives on...
    for (let i = 0; i < 16; i++) {
      now += 29 * 60 * 1000;
      expect((await b2.get('/edit/')).status, `after ${(i + 1) * 29} minutes`).toBe(200);
    }
    // ...until 8 hours after signing in.
    now += 29 * 60 * 1000;
    expect((await b2.get('/edit/')).status).toBe(303);
    // A new session that is left alone for 30 minutes ends.
    await b2.signIn('alice', PASSWORDS.alice);
    now += 29 * 60 * 1000 + 59 * 1000;
    expect((await request(handler).get('/edit/').set('Cookie', b2.cookieHeader())).status).toBe(200);
    now += 31 * 60 * 1000;
    expect((await request(handler).get('/edit/').set('Cookie', b2.cookieHeader())).status).toBe(303);
  });
});

describe('the data folder', () => {
  it('is owner-only, outside the content folder, and holds users, the key and the audit log', async () => {
    const t = await editor();
    await new Browser(t.handler).signIn('alice', PASSWORDS.alice);
    expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
    for (const file of ['users.json', 'session.key', 'audit.log'])
      expect(statSync(path.join(t.dataDir, file)).mode & 0o077, file).toBe(0);
    const users = readFileSync(path.join(t.dataDir, 'users.json'), 'utf8');
    expect(users).toMatch(/"passwordHash": "\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(users).not.toContain(PASSWORDS.alice);
  });
});
