/**
 * Authoring plus delivery servers, as processes (`node dist/cli/start.js`,
 * what `npm start` runs) on 127.0.0.1: an authoring server with the editor,
 * two delivery servers with EDITOR=off, and a bare repository between them.
 * The first delivery server follows on a short timer; the second fetches
 * once a minute and is told to fetch at once by its webhook (as a git host
 * would on a push) or SIGHUP. A save in the editor shows on both within a
 * few seconds; with the remote out of reach they keep serving, report stale
 * content on /readyz, and catch up once it is back.
 */
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/editor/auth/passwords.js';
import { UserStore } from '../../src/editor/users/users.js';
import { Browser } from '../editor/support.js';
import { git } from '../helpers/git.js';
import { waitFor } from '../helpers/live.js';
import { runServerProcess, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';
import { BUNDLED_CONTENT } from '../helpers/site.js';

const PASSWORD = 'a passphrase for the delivery test';
const SECRET = 'delivery-webhook-secret-for-tests';
const FOLLOW_MS = '400';

let root: string;
let bare: string;
let authoring: ServerProcess;
let delivery: ServerProcess[] = [];
const origin = (server: ServerProcess) => `http://127.0.0.1:${server.port}`;
const get = (server: ServerProcess, url: string) => fetch(`${origin(server)}${url}`);

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'delivery-'));
  bare = path.join(root, 'content.git');
  const content = path.join(root, 'authoring');
  git(root, 'init', '-q', '--bare', '-b', 'main', bare);
  cpSync(BUNDLED_CONTENT, content, { recursive: true });
  git(content, 'init', '-q', '-b', 'main');
  git(content, 'add', '-A');
  git(content, 'commit', '-qm', 'The site as it was');
  git(content, 'push', '-q', bare, 'main');
  const clones = ['d1', 'd2'].map((name) => {
    const dir = path.join(root, name);
    git(root, 'clone', '-q', bare, dir);
    return dir;
  });
  const dataDir = path.join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const now = new Date().toISOString();
  await new UserStore(dataDir).update(async () => [
    {
      name: 'ann',
      displayName: 'Ann Smith',
      email: 'ann@example.org',
      role: 'admin',
      passwordHash: await hashPassword(PASSWORD),
      disabled: false,
      sessionEpoch: 0,
      created: now,
      updated: now,
    },
  ]);
  const common = { CONTENT_GIT_REMOTE: bare, LOG_LEVEL: 'warn' };
  [authoring, ...delivery] = await Promise.all([
    startServerProcess({ ...common, CONTENT_DIR: content, DATA_DIR: dataDir, CONTENT_FOLLOW_INTERVAL_MS: FOLLOW_MS }),
    ...clones.map((dir, i) =>
      startServerProcess({
        ...common,
        CONTENT_DIR: dir,
        DATA_DIR: path.join(root, `data-d${i + 1}`),
        EDITOR: 'off',
        CONTENT_FOLLOW_INTERVAL_MS: i === 0 ? FOLLOW_MS : '60000',
        CONTENT_WEBHOOK_SECRET: SECRET,
      }),
    ),
  ]);
}, 60_000);

afterAll(async () => {
  const all = [authoring, ...delivery].filter(Boolean);
  for (const server of all) server.child.kill('SIGTERM');
  await Promise.all(all.map((s) => s.exited));
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Saves about.md in the authoring server's editor, as a person would, with `sentence` added. */
async function save(sentence: string): Promise<void> {
  const browser = new Browser(origin(authoring) as unknown as RequestListener);
  expect((await browser.signIn('ann', PASSWORD)).status).toBe(303);
  const { form } = await browser.openForm('/edit/page/about.md');
  const res = await browser.post('/edit/page/about.md', {
    ...form,
    body: `${form.body}\n${sentence}\n`,
    action: 'save',
  });
  expect(res.headers.location).toBe('/edit/page/about.md?notice=saved');
}

/** The remote has the authoring server's newest commit. */
const pushed = () => git(bare, 'rev-parse', 'main') === git(path.join(root, 'authoring'), 'rev-parse', 'HEAD');

/** What a git host does after a push: tells the delivery server to fetch. */
async function webhook(server: ServerProcess, authorization = `Bearer ${SECRET}`): Promise<number> {
  const res = await fetch(`${origin(server)}/__content/update`, { method: 'POST', headers: { authorization } });
  return res.status;
}

const shows = (server: ServerProcess, text: string) => async () =>
  (await (await get(server, '/about/')).text()).includes(text);

describe('authoring plus delivery servers', () => {
  it('says what each server does', async () => {
    const says = (server: ServerProcess, line: string) =>
      waitFor(() => server.stdout.includes(line) || undefined, 5_000, line);
    await says(authoring, `Pushing each change to the content remote ${bare}.`);
    const following = (every: string) =>
      `Following the content remote ${bare} (every ${every} s, on SIGHUP and at POST /__content/update).`;
    await says(delivery[0]!, following('0.4'));
    await says(delivery[1]!, following('60'));
  });

  it('shows a save on both delivery servers within a few seconds', async () => {
    const started = Date.now();
    await save('A sentence saved on the authoring server.');
    await waitFor(pushed, 5_000, 'the push');
    expect(await webhook(delivery[1]!)).toBe(202);
    for (const server of delivery)
      await waitFor(shows(server, 'A sentence saved on the authoring server.'), 5_000, 'the save on a delivery server');
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const server of [authoring, ...delivery]) {
      const ready = await get(server, '/readyz');
      expect([ready.status, ready.headers.get('x-content-status')]).toEqual([200, 'current']);
    }
    await waitFor(
      async () => (await get(authoring, '/readyz')).headers.get('x-content-remote') === 'current',
      5_000,
      'the authoring server to report the remote current',
    );
  });

  it('keeps serving with the remote out of reach, reports stale content, and catches up when it is back', async () => {
    const away = `${bare}.away`;
    renameSync(bare, away);
    try {
      await save('A sentence saved while the remote was away.');
      await waitFor(
        async () => (await get(authoring, '/readyz')).headers.get('x-content-remote') === 'behind',
        5_000,
        'the authoring server to report the remote behind',
      );
      expect(await webhook(delivery[1]!)).toBe(202);
      for (const server of delivery) {
        await waitFor(
          async () => (await get(server, '/readyz')).headers.get('x-content-status') === 'stale',
          5_000,
          'a delivery server to report stale content',
        );
        const ready = await get(server, '/readyz');
        expect(ready.status).toBe(200);
        expect(await ready.text()).toContain('could not be reached');
        const page = await get(server, '/about/');
        expect(page.status).toBe(200);
        const text = await page.text();
        expect(text).toContain('A sentence saved on the authoring server.');
        expect(text).not.toContain('while the remote was away');
      }
    } finally {
      renameSync(away, bare);
    }
    // The authoring server pushes again by itself; the first follows by its timer, the second on SIGHUP.
    await waitFor(pushed, 5_000, 'the push to be retried');
    await waitFor(
      async () => (await get(authoring, '/readyz')).headers.get('x-content-remote') === 'current',
      5_000,
      'the authoring server to report the remote current',
    );
    delivery[1]!.child.kill('SIGHUP');
    for (const server of delivery) {
      await waitFor(shows(server, 'A sentence saved while the remote was away.'), 8_000, 'a delivery to catch up');
      await waitFor(
        async () => (await get(server, '/readyz')).headers.get('x-content-status') === 'current',
        5_000,
        'the content to be current again',
      );
    }
  });

  it('refuses a webhook without the secret, and never prints the secret', async () => {
    expect(await webhook(delivery[1]!, 'Bearer not-the-secret-at-all')).toBe(401);
    expect(authoring.stderr()).not.toContain(SECRET);
    for (const server of delivery) expect(server.stderr() + server.stdout.join('\n')).not.toContain(SECRET);
  });
  it('refuses to start a delivery server on a content folder that is not a clone', async () => {
    const plain = path.join(root, 'not-a-clone');
    cpSync(BUNDLED_CONTENT, plain, { recursive: true });
    const result = await runServerProcess({
      CONTENT_DIR: plain,
      DATA_DIR: path.join(root, 'data-plain'),
      EDITOR: 'off',
      CONTENT_GIT_REMOTE: bare,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not in a git repository: make it a clone of the content remote');
  });
});
