import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/render/templates.js';

const START = path.join(PROJECT_ROOT, 'dist', 'cli', 'start.js');
const BROKEN = path.join(PROJECT_ROOT, 'test', 'fixtures', 'broken-content');

describe('npm start', () => {
  it('refuses to serve invalid content: prints the check report and exits 1', async () => {
    const error = (await promisify(execFile)(process.execPath, [START], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, CONTENT_DIR: BROKEN, PORT: '0', LOG_LEVEL: 'silent' },
      timeout: 20_000,
    }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(1);
    expect(error.stderr).toContain('work-streams/index.md:4:1: error: unknown key "navigaton". Did you mean "navigation"?');
    expect(error.stderr).toContain('The site was not started');
  });

  it('serves the bundled site and prints its URL', async () => {
    const child = spawn(process.execPath, [START], { cwd: PROJECT_ROOT, env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /(http:\/\/localhost:\d+\/)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      const res = await fetch(url.replace('localhost', '127.0.0.1'));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<h1>');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
