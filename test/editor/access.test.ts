/**
 * Who may do what: every editor address without a session sends a browser
 * to sign in (GET) or is refused before its body is read (POST), and the
 * content folder and its history are unchanged; a cross-site POST with a
 * valid session is refused; hostile page addresses are refused; plain HTTP
 * is allowed only from this machine.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSiteHandler } from '../../src/server/handler.js';
import { createLogger } from '../../src/logger.js';
import { folderHash } from './hashing.js';
import { Browser, PASSWORDS, testEditor, type TestEditor } from './support.js';

let t: TestEditor;
beforeAll(async () => {
  t = await testEditor();
});
afterAll(() => t?.close());

const GETS = [
  '/edit/',
  '/edit/page/about.md',
  '/edit/page/work-streams/index.md',
  '/edit/source/site.yml',
  '/edit/new',
  '/edit/delete/regional-projects/pc-aims.md',
  '/edit/history/about.md',
  '/edit/history/about.md?at=0000000000000000000000000000000000000000',
  '/edit/trash',
  '/edit/activity',
  '/edit/conflict/about.md',
  '/edit/review',
  '/edit/review/0123456789abcdef0123',
  '/edit/users',
  '/edit/users/new',
  '/edit/users/alice',
  '/edit/no-such-page',
];
const POSTS = [
  '/edit/page/about.md',
  '/edit/preview/about.md',
  '/edit/source/about.md',
  '/edit/source/site.yml',
  '/edit/new',
  '/edit/delete/regional-projects/pc-aims.md',
  '/edit/restore/about.md',
  '/edit/conflict/about.md',
  '/edit/sign-out',
  '/edit/activity',
  '/edit/review/0123456789abcdef0123/publish',
  '/edit/review/0123456789abcdef0123/return',
  '/edit/review/0123456789abcdef0123/withdraw',
  '/edit/review/0123456789abcdef0123/resolve',
  '/edit/users/new',
  '/edit/users/alice/role',
  '/edit/users/alice/password',
  '/edit/users/alice/status',
];
/** What an attacker would send: a whole valid-looking form. */
const FORM = {
  token: 'x',
  version: '',
  action: 'save',
  body: 'Hacked',
  whole: '---\ntitle: Hacked\ndescription: Hacked.\n---\nHacked\n',
  'fm-title': 'Hacked',
  'fm-description': 'Hacked.',
  section: '',
  name: 'hacked',
  title: 'Hacked',
  entry: 'HEAD',
};

describe('without a session', () => {
  it('every editor page redirects to sign-in, with no-store, and the fast path never answers it', async () => {
    for (const url of GETS) {
      const res = await request(t.handler).get(url);
      expect(res.status, url).toBe(303);
      expect(res.headers.location, url).toMatch(/^\/edit\/sign-in/);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    }
    const bare = await request(t.handler).get('/edit');
    expect([bare.status, bare.headers.location]).toEqual([301, '/edit/']);
  });

  it('every change is refused before its body is read, and the content and its history are unchanged', async () => {
    const before = folderHash(t.contentDir);
    const usersBefore = readFileSync(path.join(t.dataDir, 'users.json'), 'utf8');
    for (const url of POSTS) {
      const res = await request(t.handler).post(url).type('form').set('Sec-Fetch-Site', 'same-origin').send(FORM);
      expect(res.status, url).toBe(403);
      expect(res.headers.connection, url).toBe('close');
      expect(res.text, url).toContain('nothing was changed');
    }
    // A forged or tampered session cookie is no session.
    const forged = await request(t.handler)
      .post('/edit/page/about.md')
      .type('form')
      .set('Cookie', '__Host-editor-session=eyJ4Ijp0cnVlfQ.AAAA')
      .send(FORM);
    expect(forged.status).toBe(403);
    expect(folderHash(t.contentDir)).toBe(before);
    expect(readFileSync(path.join(t.dataDir, 'users.json'), 'utf8')).toBe(usersBefore);
  });

  it('other methods are refused', async () => {
    const res = await request(t.handler).put('/edit/page/about.md').send('x');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, POST');
  });
});

describe('with a session', () => {
  it(
    'a cross-site POST with a valid cookie is refused and changes nothing;' + ' so is one without the form token',
    async () => {
      const b = new Browser(t.handler);
      expect((await b.signIn('alice', PASSWORDS.alice)).status).toBe(303);
      const { form } = await b.openForm('/edit/page/about.md');
      const before = folderHash(t.contentDir);
      const changed = { ...form, 'fm-title': 'Changed from elsewhere', action: 'save' };
      for (const headers of <Array<Record<string, string>>>[
        { 'Sec-Fetch-Site': 'cross-site' },
        { 'Sec-Fetch-Site': 'same-site' },
        { Origin: 'https://evil.example' },
        { Origin: 'null' },
      ]) {
        const res = await b.post('/edit/page/about.md', changed, headers);
        expect(res.status, JSON.stringify(headers)).toBe(403);
      }
      for (const token of ['', 'x', `${form.token}x`]) {
        const res = await b.post('/edit/page/about.md', { ...changed, token });
        expect(res.status).toBe(403);
      }
      // A token from another person's session does not work in this one.
      const other = new Browser(t.handler);
      await other.signIn('bob', PASSWORDS.bob);
      const otherForm = await other.openForm('/edit/page/about.md');
      expect((await b.post('/edit/page/about.md', { ...changed, token: otherForm.form.token! })).status).toBe(403);
      expect(folderHash(t.contentDir)).toBe(before);
      // The same form from the same site goes through.
      expect((await b.post('/edit/page/about.md', changed)).status).toBe(303);
      expect(folderHash(t.contentDir)).not.toBe(before);
    },
  );

  it('refuses hostile page addresses in every encoding, and never writes outside the content folder', async () => {
    const b = new Browser(t.handler);
    await b.signIn('bob', PASSWORDS.bob);
    const { form } = await b.openForm('/edit/page/about.md');
    const outside = path.join(t.root, 'outside.md');
    writeFileSync(outside, '---\ntitle: Outside\ndescription: Outside.\n---\nSecret\n');
    mkdirSync(path.join(t.contentDir, 'linked-folder'), { recursive: true });
    symlinkSync(outside, path.join(t.contentDir, 'linked.md'));
    symlinkSync(t.root, path.join(t.contentDir, 'linked-folder', 'up'));
    const before = folderHash(t.contentDir);
    const outsideBefore = folderHash(t.contentDir) && readFileSync(outside, 'utf8');
    const hostile = [
      '../outside.md',
      '..%2Foutside.md',
      '%2e%2e/outside.md',
      '%2e%2e%2foutside.md',
      '%252e%252e%252foutside.md',
      '..%5coutside.md',
      '%c0%ae%c0%ae/outside.md',
      '%e2%80%a4%e2%80%a4/outside.md',
      '.%2e/outside.md',
      '/etc/passwd',
      '%2Fetc%2Fpasswd',
      'about.md%00.md',
      '.git/config',
      '.trash/x.md',
      'linked.md',
      'linked-folder/up/outside.md',
      'work-streams/../../outside.md',
      'about.md/',
      'site.yml%2f..%2f..%2foutside.md',
      '-n.md',
    ];
    for (const address of hostile) {
      for (const route of ['page', 'source', 'history', 'delete']) {
        const res = await b.get(`/edit/${route}/${address}`);
        expect([400, 404], `${route}/${address}`).toContain(res.status);
        expect(res.text).not.toContain('Secret');
      }
      for (const route of ['page', 'source', 'delete', 'restore']) {
        const res = await b.post(`/edit/${route}/${address}`, {
          ...form,
          whole: '---\ntitle: X\ndescription: X.\n---\nOwned\n',
          action: 'save',
        });
        expect([400, 404], `POST ${route}/${address}`).toContain(res.status);
      }
    }
    expect(folderHash(t.contentDir)).toBe(before);
    expect(existsSync(path.join(t.root, 'etc'))).toBe(false);
    expect(readFileSync(outside, 'utf8')).toBe(outsideBefore);
  });

  it('answers a fault of its own within the editor: 500, no-store, no internals', async () => {
    const b = new Browser(t.handler);
    await b.signIn('alice', PASSWORDS.alice);
    const read = t.store.read.bind(t.store);
    t.store.read = () => Promise.reject(new Error('disk on fire at /secret/path'));
    try {
      const res = await b.get('/edit/page/about.md');
      expect(res.status).toBe(500);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.text).toContain('Sorry, there is a problem with the editor');
      expect(res.text).not.toContain('/secret/path');
    } finally {
      t.store.read = read;
    }
  });

  it('plain HTTP is allowed only from this machine; behind a trusted proxy, HTTPS is required', async () => {
    const behindProxy = createSiteHandler({
      config: { trustProxy: true },
      site: () => t.live.current()!,
      logger: createLogger('silent'),
      before: [t.editor.handler],
    });
    const remote = await request(behindProxy).get('/edit/sign-in').set('X-Forwarded-For', '203.0.113.7');
    expect(remote.status).toBe(403);
    expect(remote.text).toContain('needs a secure connection');
    const secure = await request(behindProxy)
      .get('/edit/sign-in')
      .set('X-Forwarded-For', '203.0.113.7')
      .set('X-Forwarded-Proto', 'https');
    expect(secure.status).toBe(200);
    const local = await request(t.handler).get('/edit/sign-in');
    expect(local.status).toBe(200);
  });

  it('refuses forwarded requests from a proxy it was not told to trust, naming TRUST_PROXY', async () => {
    // Behind a proxy on this machine without TRUST_PROXY, every client would look like 127.0.0.1: on plain
    // http, sharing one address for the sign-in limits.
    for (const [name, value] of [
      ['X-Forwarded-For', '203.0.113.7'],
      ['X-Forwarded-Proto', 'https'],
      ['X-Forwarded-Host', 'www.example.org'],
      ['Forwarded', 'for=203.0.113.7;proto=https'],
      ['X-Real-IP', '203.0.113.7'],
    ] as const) {
      const get = await request(t.handler).get('/edit/sign-in').set(name, value);
      expect(get.status, name).toBe(403);
      expect(get.text, name).toContain('TRUST_PROXY');
      expect(get.headers['cache-control'], name).toBe('no-store');
      const post = await request(t.handler)
        .post('/edit/sign-in')
        .type('form')
        .set('Sec-Fetch-Site', 'same-origin')
        .set(name, value)
        .send({ username: 'alice', password: PASSWORDS.alice });
      expect(post.status, name).toBe(403);
    }
    // The public site is not the editor: it answers as ever.
    expect((await request(t.handler).get('/').set('X-Forwarded-For', '203.0.113.7')).status).toBe(200);
  });
});
