/**
 * `npm start` loads only the code the site it serves needs before it answers: a quarter of a second each for
 * sharp, the editor (with its password hashing and dictionaries) and chokidar was most of the bundled site's
 * start-up. Every module the server resolves is written to a file by a resolve hook, and read back once the
 * server has said it is serving.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { waitFor } from '../helpers/live.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';

const START = path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const REGISTER = path.join(PROJECT_ROOT, 'test', 'fixtures', 'resolveLog', 'register.mjs');

describe('npm start', () => {
  it('answers before loading sharp, the editor or the file watcher when the site needs none of them', async () => {
    const content = tempContent(minimalFiles({ 'about.md': page('title: About\ndescription: D') }));
    const temp = mkdtempSync(path.join(os.tmpdir(), 'start-modules-'));
    const log = path.join(temp, 'resolved.txt');
    const child = spawn(process.execPath, ['--import', REGISTER, START], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        CONTENT_DIR: content.dir,
        PORT: '0',
        LOG_LEVEL: 'warn',
        WATCH_CONTENT: 'false',
        DATA_DIR: path.join(temp, 'data'),
        RESOLVED_LOG: log,
      },
    });
    cleanups.push(() => {
      child.kill('SIGKILL');
      content.cleanup();
      rmSync(temp, { recursive: true, force: true });
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const port = await waitFor(() => /http:\/\/localhost:(\d+)\//.exec(out)?.[1], 20_000, `the server: ${err}`);
    expect((await fetch(`http://127.0.0.1:${port}/about/`)).status).toBe(200);

    const resolved = readFileSync(log, 'utf8').split('\n');
    // The hook saw the server's own modules, so an empty list cannot pass.
    expect(resolved.some((url) => url.endsWith('/dist/live/liveSite.js'))).toBe(true);
    expect(resolved.some((url) => url.endsWith('/dist/server/handler.js'))).toBe(true);
    expect(resolved.filter((url) => /\/node_modules\/(sharp|chokidar|@node-rs\/argon2)\//.test(url))).toEqual([]);
    expect(resolved.filter((url) => /\/dist\/editor\/editorApp\.js$/.test(url))).toEqual([]);
  });
});
