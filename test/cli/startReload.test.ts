import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';
import { waitFor } from '../helpers/live.js';

const START = path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function start(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; base: string; dir: string; logs: () => string }> {
  const content = tempContent(minimalFiles({ 'about.md': page('title: About v1\ndescription: D') }));
  const child = spawn(process.execPath, [START], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, CONTENT_DIR: content.dir, PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  cleanups.push(() => {
    child.kill('SIGKILL');
    content.cleanup();
  });
  const url = await waitFor(() => /http:\/\/localhost:(\d+)\//.exec(out)?.[1], 20_000, `the server to start: ${err}`);
  return { child, base: `http://127.0.0.1:${url}`, dir: content.dir, logs: () => out };
}

const text = async (url: string) => (await fetch(url)).text();

describe('npm start reloads content without a restart', () => {
  it('reloads on SIGHUP when watching is off', async () => {
    const s = await start({ WATCH_CONTENT: 'false' });
    writeFileSync(path.join(s.dir, 'about.md'), page('title: About v2\ndescription: D'));
    await new Promise((r) => setTimeout(r, 400));
    expect(await text(`${s.base}/about/`)).toContain('<h1>About v1</h1>');
    s.child.kill('SIGHUP');
    await waitFor(
      async () => (await text(`${s.base}/about/`)).includes('<h1>About v2</h1>'),
      10_000,
      'the SIGHUP reload',
    );
  });

  it(
    'watches the content folder: serves edits, keeps the old version on ' + 'errors and says so in /readyz and the log',
    async () => {
      const s = await start({});
      writeFileSync(path.join(s.dir, 'about.md'), page('title: About v2\ndescription: D'));
      await waitFor(async () => (await text(`${s.base}/about/`)).includes('<h1>About v2</h1>'), 10_000, 'the edit');

      writeFileSync(path.join(s.dir, 'about.md'), page('title: About v3\ndescription: D\nnextReviewDue: 2027-02-30'));
      await waitFor(
        async () => (await fetch(`${s.base}/readyz`)).headers.get('x-content-status') === 'stale',
        10_000,
        'stale content',
      );
      const ready = await fetch(`${s.base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await text(`${s.base}/about/`)).toContain('<h1>About v2</h1>');
      // Complete JSON lines only: the last one may still be arriving.
      const logged = () =>
        s
          .logs()
          .split('\n')
          .slice(0, -1)
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l) as Record<string, unknown>);
      await waitFor(
        () =>
          logged().some(
            (l) =>
              l.level === 50 && l.file === 'about.md' && l.line === 4 && /not a real calendar date/.test(String(l.msg)),
          ),
        10_000,
        'the logged error',
      );

      writeFileSync(path.join(s.dir, 'about.md'), page('title: About v4\ndescription: D'));
      await waitFor(async () => (await text(`${s.base}/about/`)).includes('<h1>About v4</h1>'), 10_000, 'the repair');
      expect((await fetch(`${s.base}/readyz`)).headers.get('x-content-status')).toBe('current');
    },
  );
});
