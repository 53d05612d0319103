/**
 * `npm run user` and the editor in `npm start`: users are added with a
 * password from standard input, checked against the password rules, kept
 * hashed with Argon2id in an owner-only data folder outside the content;
 * the server starts the editor only when someone can sign in, says where it
 * is or how to add the first user, and creates a git repository for a
 * content folder that has none.
 */
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runUserCommand } from '../../src/cli/userCommand.js';
import { hashPassword, needsRehash, passwordProblem } from '../../src/editor/auth/passwords.js';
import { UserStore } from '../../src/editor/users/users.js';
import { PROJECT_ROOT } from '../../src/paths.js';
import { Browser, PASSWORDS, testEditor } from '../editor/support.js';
import { BUNDLED_CONTENT } from '../helpers/site.js';
import { waitFor } from '../helpers/live.js';
import { runServerProcess, startServerProcess, type ServerProcess } from '../helpers/serverProcess.js';

/** The editor's line follows the "Serving" line that startServerProcess waits for. */
const editorLine = (server: ServerProcess) =>
  waitFor(() => server.stdout.find((l) => /editor|npm run user|\/edit\//.test(l)), 5_000, 'the editor line');

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'user-cli-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
const io = (password: string | null) => ({
  readPassword: async () => password,
  now: () => Date.parse('2027-01-04T09:00:00Z'),
});

describe('password rules', () => {
  it('asks for 12 characters or more, allows long passphrases, and refuses common passwords and the username', () => {
    expect(passwordProblem('short pass')).toMatch(/at least 12 characters/);
    expect(
      passwordProblem('a'.repeat(64).replace(/a/g, (_c, i: number) => String.fromCharCode(97 + (i % 26)))),
    ).toBeNull();
    expect(passwordProblem('x'.repeat(300))).toMatch(/at most 256/);
    for (const common of [
      'password1234',
      'qwerty123456',
      'Password1234!',
      'liverpool2024',
      '1q2w3e4r5t6y',
      'monkeymonkeymonkey',
      'abababababababab',
    ]) {
      expect(passwordProblem(common), common).toMatch(/common passwords/);
    }
    expect(passwordProblem('alice-in-the-garden', 'alice')).toMatch(/username/);
    expect(passwordProblem('correct horse battery staple')).toBeNull();
  });

  it('hashes with Argon2id at the OWASP cost, and says when an older, cheaper hash needs replacing', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(needsRehash(hash)).toBe(false);
    expect(
      needsRehash(
        await hashPassword('correct horse battery staple', { memoryCost: 4096, timeCost: 1, parallelism: 1 }),
      ),
    ).toBe(true);
    expect(needsRehash('$2b$10$somebcrypthash')).toBe(true);
  });

  it('replaces a cheaper hash at the next sign-in', async () => {
    const t = await testEditor();
    cleanups.push(() => t.close());
    const weak = await hashPassword(PASSWORDS.alice, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await new UserStore(t.dataDir).update((all) =>
      all.map((u) => (u.name === 'alice' ? { ...u, passwordHash: weak } : u)),
    );
    expect((await new Browser(t.handler).signIn('alice', PASSWORDS.alice)).status).toBe(303);
    const stored = (await new UserStore(t.dataDir).find('alice'))!.passwordHash;
    expect(stored).not.toBe(weak);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    // The session of that sign-in is still good: a rehash is not a password change.
  });
});

describe('npm run user', () => {
  it(
    'adds, lists, changes the role of, disables and enables users;' + ' refuses bad names, roles and passwords',
    async () => {
      const dataDir = path.join(tempDir(), 'data');
      expect((await runUserCommand(['list'], dataDir, io(null))).out).toContain('No users yet');
      expect(
        (
          await runUserCommand(
            ['add', 'Ann.Smith', '--role', 'editor', '--name', 'Ann Smith', '--email', 'ann@example.org'],
            dataDir,
            io('a long enough passphrase'),
          )
        ).code,
      ).toBe(0);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(dataDir, 'users.json')).mode & 0o777).toBe(0o600);
      const listed = await runUserCommand(['list'], dataDir, io(null));
      expect(listed.out).toBe('ann.smith\teditor\tAnn Smith <ann@example.org>\n');
      expect(
        (await runUserCommand(['add', 'ann.smith', '--role', 'admin'], dataDir, io('another passphrase here'))).err,
      ).toContain('already a user');
      expect(
        (await runUserCommand(['add', '../evil', '--role', 'admin'], dataDir, io('another passphrase here'))).err,
      ).toContain('lowercase letters');
      expect(
        (await runUserCommand(['add', 'bob', '--role', 'owner'], dataDir, io('another passphrase here'))).code,
      ).toBe(2);
      expect((await runUserCommand(['add', 'bob', '--role', 'editor'], dataDir, io('password1234'))).err).toContain(
        'common passwords',
      );
      expect((await runUserCommand(['add', 'bob', '--role', 'editor'], dataDir, io(null))).err).toContain(
        'No password given',
      );
      expect((await runUserCommand(['role', 'ANN.SMITH', 'admin'], dataDir, io(null))).out).toContain('now an admin');
      expect((await runUserCommand(['disable', 'ann.smith'], dataDir, io(null))).code).toBe(0);
      expect((await runUserCommand(['list'], dataDir, io(null))).out).toBe(
        'ann.smith\tadmin\tdisabled\tAnn Smith <ann@example.org>\n',
      );
      expect((await runUserCommand(['enable', 'ann.smith'], dataDir, io(null))).code).toBe(0);
      expect((await runUserCommand(['passwd', 'nobody'], dataDir, io('x'))).err).toContain('There is no user');
      const user = (await new UserStore(dataDir).find('ann.smith'))!;
      expect(user.sessionEpoch).toBe(3);
      const audit = readFileSync(path.join(dataDir, 'audit.log'), 'utf8');
      expect(
        audit
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { event: string }).event),
      ).toEqual(['user-added', 'role-changed', 'user-disabled', 'user-enabled']);
      expect(audit).not.toContain('a long enough passphrase');
    },
  );

  it(
    'reads the password from standard input when it is not a terminal,' +
      ' then npm start serves the editor on a new git repository',
    async () => {
      const root = tempDir();
      const dataDir = path.join(root, 'data');
      const contentDir = path.join(root, 'content');
      cpSync(BUNDLED_CONTENT, contentDir, { recursive: true });
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', CONTENT_DIR: contentDir, DATA_DIR: dataDir };

      const noUsers = await startServerProcess(env);
      await editorLine(noUsers);
      noUsers.child.kill('SIGTERM');
      await noUsers.exited;
      expect(noUsers.stdout.join('\n')).toContain(
        'add the first user with\n  npm run user -- add <username> --role admin',
      );

      const child = spawn(
        process.execPath,
        [path.join(PROJECT_ROOT, 'dist', 'cli', 'user.js'), 'add', 'carol', '--role', 'admin'],
        { env, stdio: ['pipe', 'pipe', 'pipe'] },
      );
      child.stdin.end('a passphrase from a pipe\n');
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      expect(out).toContain('Added carol (admin)');

      const server = await startServerProcess(env);
      try {
        await editorLine(server);
        expect(server.stdout.join('\n')).toMatch(
          /Edit the site in a browser at http:\/\/localhost:\d+\/edit\/ \(1 user\)/,
        );
        expect(existsSync(path.join(contentDir, '.git'))).toBe(true);
        const origin = `http://127.0.0.1:${server.port}`;
        const res = await fetch(`${origin}/edit/`, { redirect: 'manual' });
        expect([res.status, res.headers.get('location')]).toEqual([303, '/edit/sign-in']);
        const signIn = await fetch(`${origin}/edit/sign-in`);
        expect(signIn.headers.get('cache-control')).toBe('no-store');
        expect(await signIn.text()).toContain('Sign in');
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }

      const off = await startServerProcess({ ...env, EDITOR: 'off' });
      try {
        await editorLine(off);
        expect(off.stdout.join('\n')).toContain('The browser editor is off (EDITOR=off).');
        const res = await fetch(`http://127.0.0.1:${off.port}/edit/`, { redirect: 'manual' });
        expect(res.status).toBe(404);
      } finally {
        off.child.kill('SIGTERM');
        await off.exited;
      }
    },
  );

  it('refuses a data folder inside the content folder', async () => {
    const root = tempDir();
    const contentDir = path.join(root, 'content');
    cpSync(BUNDLED_CONTENT, contentDir, { recursive: true });
    const result = await runServerProcess({ CONTENT_DIR: contentDir, DATA_DIR: path.join(contentDir, 'data') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('DATA_DIR must be outside the content folder');
    const user = await promisify(execFile)(
      process.execPath,
      [path.join(PROJECT_ROOT, 'dist', 'cli', 'user.js'), 'list'],
      { env: { PATH: process.env.PATH, CONTENT_DIR: contentDir, DATA_DIR: contentDir } },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((user as { code: number }).code).toBe(2);
    expect(existsSync(path.join(contentDir, 'data'))).toBe(false);
  });
});
