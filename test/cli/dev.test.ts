import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/paths.js';
import { minimalFiles, page, tempContent } from '../helpers/site.js';
import { waitFor } from '../helpers/live.js';

const DEV = path.join(PROJECT_ROOT, 'dist', 'cli', 'dev.js');
const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('npm run dev', () => {
  it(
    'starts with a broken page, reports it in the terminal and the browser, ' + 'and recovers when the file is fixed',
    async () => {
      const content = tempContent(
        minimalFiles({ 'about.md': page('title: About\ndescription: D', 'See [the plans](/plans/).\n') }),
      );
      const child = spawn(process.execPath, [DEV], {
        cwd: content.dir,
        env: { ...process.env, CONTENT_DIR: content.dir, PORT: '0' },
      });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      cleanups.push(() => {
        child.kill('SIGKILL');
        content.cleanup();
      });
      const port = await waitFor(
        () => /Preview at http:\/\/localhost:(\d+)\//.exec(out)?.[1],
        20_000,
        `the preview: ${out}`,
      );
      expect(out).toContain('The site has 1 problem to fix (start):');
      expect(out).toContain(
        'about.md:5:17: error: the link "/plans/" points to /plans/, which is not a page on this site.',
      );
      expect(out).toContain('> 5 | See [the plans](/plans/).');
      expect(out).toContain('Meanwhile each page with problems shows them, and every other page is shown.');
      const base = `http://127.0.0.1:${port}`;
      const broken = await fetch(`${base}/about/`);
      expect(broken.status).toBe(500);
      expect(await broken.text()).toContain('about.md, line 5, column 17');
      // The other pages are shown meanwhile, saying why they may be out of date.
      const home = await fetch(`${base}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('about.md has 1 problem to fix');

      writeFileSync(path.join(content.dir, 'plans.md'), page('title: Plans\ndescription: D\ndraft: true'));
      await waitFor(async () => (await fetch(`${base}/about/`)).status === 200, 10_000, 'the fix');
      expect(out).toMatch(/Updated in \d+ ms: \d+ pages? changed \(file change\)\./);
      expect(await (await fetch(`${base}/plans/`)).text()).toContain('This page is a draft');
    },
  );

  it('says the port is busy, and how to choose another, when it is in use', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const content = tempContent(minimalFiles());
    cleanups.push(() => {
      holder.close();
      content.cleanup();
    });
    const child = spawn(process.execPath, [DEV], {
      cwd: content.dir,
      env: { ...process.env, CONTENT_DIR: content.dir, PORT: String(port), HOST: '127.0.0.1' },
    });
    let err = '';
    let out = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    cleanups.push(() => child.kill('SIGKILL'));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain(
      `Port ${port} is already in use: perhaps another preview (npm run dev) or the site (npm start) is still ` +
        'running, in another terminal window.',
    );
    expect(err).toContain('Stop it there with Ctrl+C, or start on another port instead:\n  PORT=3001 npm run dev\n');
    expect(err).not.toContain('EADDRINUSE');
    // Said first, not after the report on the content.
    expect(out).not.toContain('Updated in');
  });
});
