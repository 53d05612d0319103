/**
 * Admins manage users in the browser with the rules of `npm run user`:
 * names checked, the password rules, Argon2id, sessions ended at once by a
 * role change, a new password or disabling; every change audited with the
 * admin who made it; only admins, only from the editor itself, only with
 * the session's form token; and never a way to lock every admin out.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';

let t: TestEditor;
let admin: Browser;
beforeAll(async () => {
  t = await testEditor();
  admin = new Browser(t.handler);
  await admin.signIn('bob', PASSWORDS.bob);
});
afterAll(() => t?.close());

const usersFile = () => readFileSync(path.join(t.dataDir, 'users.json'), 'utf8');
const audit = () =>
  readFileSync(path.join(t.dataDir, 'audit.log'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, string>);

async function post(who: Browser, page: string, action: string, fields: Record<string, string>) {
  const html = (await who.get(page)).text;
  return who.post(action, { token: Browser.token(html), ...fields });
}

const NEW_USER = {
  username: 'Ann.Smith',
  displayName: 'Ann Smith',
  email: 'ann.smith@example.org',
  role: 'publisher',
  password: 'a long and unusual passphrase',
  confirm: 'a long and unusual passphrase',
};

describe('users in the browser', () => {
  it('adds a user with the rules of npm run user, each problem at its field, nothing added until right', async () => {
    const before = usersFile();
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...NEW_USER, username: '' }, 'Enter a username'],
      [{ ...NEW_USER, username: '../evil' }, 'lowercase letters'],
      [{ ...NEW_USER, username: 'alice' }, 'There is already a user &quot;alice&quot;'],
      [{ ...NEW_USER, role: 'owner' }, 'Choose a role'],
      [{ ...NEW_USER, password: 'short', confirm: 'short' }, 'at least 12 characters'],
      [{ ...NEW_USER, password: 'password1234', confirm: 'password1234' }, 'list of common passwords'],
      [{ ...NEW_USER, password: 'ann.smith is here', confirm: 'ann.smith is here' }, 'must not contain the username'],
      [{ ...NEW_USER, confirm: 'something else entirely' }, 'The two passwords are not the same'],
      [{ ...NEW_USER, email: 'not an address' }, 'correct format'],
    ];
    for (const [fields, problem] of cases) {
      const res = await post(admin, '/edit/users/new', '/edit/users/new', fields);
      expect(res.status, problem).toBe(200);
      expect(res.text, problem).toContain('There is a problem');
      expect(res.text, problem).toContain(problem);
      expect(res.text, problem).not.toContain(NEW_USER.password);
    }
    expect(usersFile()).toBe(before);
    const res = await post(admin, '/edit/users/new', '/edit/users/new', NEW_USER);
    expect([res.status, res.headers.location]).toEqual([303, '/edit/users/ann.smith?notice=added']);
    const stored = JSON.parse(usersFile()) as { users: Array<Record<string, unknown>> };
    expect(stored.users.find((u) => u.name === 'ann.smith')).toMatchObject({
      displayName: 'Ann Smith',
      email: 'ann.smith@example.org',
      role: 'publisher',
      disabled: false,
      passwordHash: expect.stringMatching(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/),
    });
    expect(usersFile()).not.toContain(NEW_USER.password);
    expect(audit().at(-1)).toMatchObject({
      event: 'user-added',
      user: 'bob',
      subject: 'ann.smith',
      detail: 'role publisher',
      from: expect.stringContaining('127.0.0.1'),
    });
    const ann = new Browser(t.handler);
    expect((await ann.signIn('ann.smith', NEW_USER.password)).headers.location).toBe('/edit/');
    const list = await admin.get('/edit/users');
    expect(list.text).toContain('href="/edit/users/ann.smith"');
    expect(list.text).toContain('Publisher');
  });

  it('ends a person’s sessions when an admin changes their role, password, or disables them', async () => {
    const ann = new Browser(t.handler);
    await ann.signIn('ann.smith', NEW_USER.password);
    expect((await ann.get('/edit/')).status).toBe(200);
    const page = '/edit/users/ann.smith';
    let res = await post(admin, page, `${page}/role`, { role: 'editor' });
    expect(res.headers.location).toBe(`${page}?notice=role`);
    expect(JSON.parse(usersFile()).users.find((u: { name: string }) => u.name === 'ann.smith').role).toBe('editor');
    expect((await ann.get('/edit/')).status).toBe(303);
    expect(audit().at(-1)).toMatchObject({ event: 'role-changed', user: 'bob', subject: 'ann.smith' });

    await ann.signIn('ann.smith', NEW_USER.password);
    const weak = await post(admin, page, `${page}/password`, { password: 'qwerty123456', confirm: 'qwerty123456' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('list of common passwords');
    expect((await ann.get('/edit/')).status).toBe(200);
    const newPassword = 'an entirely new passphrase';
    res = await post(admin, page, `${page}/password`, { password: newPassword, confirm: newPassword });
    expect(res.headers.location).toBe(`${page}?notice=password`);
    expect((await ann.get('/edit/')).status).toBe(303);
    expect((await new Browser(t.handler).signIn('ann.smith', NEW_USER.password)).status).toBe(200);
    expect((await ann.signIn('ann.smith', newPassword)).headers.location).toBe('/edit/');
    expect(audit().filter((r) => r.event === 'password-changed')).toEqual([
      expect.objectContaining({ user: 'bob', subject: 'ann.smith' }),
    ]);

    res = await post(admin, page, `${page}/status`, { action: 'disable' });
    expect(res.headers.location).toBe(`${page}?notice=disabled`);
    expect((await ann.get('/edit/')).status).toBe(303);
    const refused = await ann.signIn('ann.smith', newPassword);
    expect(refused.status).toBe(200);
    expect(refused.text).toContain('Enter a correct username and password');
    expect((await admin.get('/edit/users')).text).toContain('Disabled');
    res = await post(admin, page, `${page}/status`, { action: 'enable' });
    expect(res.headers.location).toBe(`${page}?notice=enabled`);
    expect((await ann.signIn('ann.smith', newPassword)).headers.location).toBe('/edit/');
    expect(audit().map((r) => r.event)).toEqual(expect.arrayContaining(['user-disabled', 'user-enabled']));
  });

  it('never lets the admins lock themselves out', async () => {
    const own = '/edit/users/bob';
    const page = await admin.get(own);
    expect(page.text).toContain('You cannot change your own role or disable yourself');
    expect((await post(admin, own, `${own}/role`, { role: 'editor' })).text).toContain(
      'You cannot change your own role',
    );
    expect((await post(admin, own, `${own}/status`, { action: 'disable' })).text).toContain(
      'You cannot disable yourself',
    );
    expect(JSON.parse(usersFile()).users.find((u: { name: string }) => u.name === 'bob')).toMatchObject({
      role: 'admin',
      disabled: false,
    });
    // A second admin cannot demote or disable the only other one either, once that would leave none.
    await post(admin, '/edit/users/ann.smith', '/edit/users/ann.smith/role', { role: 'admin' });
    const ann = new Browser(t.handler);
    await ann.signIn('ann.smith', 'an entirely new passphrase');
    await post(admin, '/edit/users/alice', '/edit/users/alice/role', { role: 'publisher' });
    const res = await post(ann, '/edit/users/bob', '/edit/users/bob/status', { action: 'disable' });
    expect(res.headers.location).toBe('/edit/users/bob?notice=disabled');
    const last = await post(ann, '/edit/users/ann.smith', '/edit/users/ann.smith/status', { action: 'disable' });
    expect(last.text).toContain('You cannot disable yourself');
    const enabled = await post(ann, '/edit/users/bob', '/edit/users/bob/status', { action: 'enable' });
    expect(enabled.headers.location).toBe('/edit/users/bob?notice=enabled');
    await admin.signIn('bob', PASSWORDS.bob);
  });

  it('is for admins only, from the editor itself, with the session’s form token', async () => {
    const before = usersFile();
    const editor = new Browser(t.handler);
    await editor.signIn('alice', PASSWORDS.alice);
    for (const url of ['/edit/users', '/edit/users/new', '/edit/users/bob']) {
      const res = await editor.get(url);
      expect(res.status, url).toBe(403);
      expect(res.text).toContain('For admins only');
    }
    const token = Browser.token((await editor.get('/edit/')).text);
    for (const [url, fields] of [
      ['/edit/users/new', { ...NEW_USER, username: 'mallory' }],
      ['/edit/users/bob/role', { role: 'editor' }],
      ['/edit/users/bob/status', { action: 'disable' }],
      ['/edit/users/bob/password', { password: 'x'.repeat(20), confirm: 'x'.repeat(20) }],
    ] as const) {
      expect((await editor.post(url, { token, ...fields })).status, url).toBe(403);
    }
    // An admin's session from another site, or without the token, changes nothing either.
    const adminToken = Browser.token((await admin.get('/edit/users')).text);
    const cross = await admin.post(
      '/edit/users/alice/status',
      { token: adminToken, action: 'disable' },
      { 'Sec-Fetch-Site': 'cross-site' },
    );
    expect(cross.status).toBe(403);
    expect((await admin.post('/edit/users/alice/status', { token: 'x', action: 'disable' })).status).toBe(403);
    expect(usersFile()).toBe(before);
    // The activity shows the changes, with the admin who made them.
    const activity = await admin.get('/edit/activity');
    expect(activity.text).toContain('user added: ann.smith');
    expect(activity.text).toContain('href="/edit/users"');
  });
});
