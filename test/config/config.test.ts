import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, Secret } from '../../src/config/config.js';
import { DEFAULT_CONTENT_DIR, DEFAULT_EXPORT_DIR } from '../../src/paths.js';
import { createLogger } from '../../src/logger.js';

describe('configuration sections', () => {
  it('gives each command only its own settings, so a bad server setting does not stop npm run check', () => {
    const env = { HEADERS_TIMEOUT_MS: 'soon', PORT: 'eighty' };
    expect(() => loadConfig('server', env)).toThrow(ConfigError);
    expect(loadConfig('content', env)).toEqual({ contentDir: DEFAULT_CONTENT_DIR, siteUrl: 'http://localhost:3000' });
    expect(loadConfig('export', env)).toMatchObject({ outDir: DEFAULT_EXPORT_DIR });
  });

  it("derives the server's default public address from where it listens, and validates SITE_URL everywhere", () => {
    expect(loadConfig('server', { PORT: '8080' }).siteUrl).toBe('http://localhost:8080');
    expect(loadConfig('content', { SITE_URL: 'https://www.example.org/' }).siteUrl).toBe('https://www.example.org');
    expect(() => loadConfig('content', { SITE_URL: 'https://www.example.org/path' })).toThrow(
      /SITE_URL must be an http\(s\) address with no path/,
    );
    expect(() => loadConfig('export', { SITE_URL: 'javascript:alert(1)' })).toThrow(ConfigError);
  });

  it('logs as JSON from npm start, and only when asked from the preview', () => {
    expect(loadConfig('server', {}).logLevel).toBe('info');
    expect(loadConfig('preview', {}).logLevel).toBe('silent');
    expect(loadConfig('preview', { LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it("reads the nginx settings, refusing values that would change the configuration's meaning", () => {
    expect(loadConfig('nginx', { NGINX_LISTEN: '80', OUT_DIR: '/srv/site' })).toEqual({
      contentDir: expect.stringMatching(/content$/),
      root: '/srv/site',
      listen: '80',
      tls: false,
      serverName: undefined,
    });
    expect(loadConfig('nginx', {})).toMatchObject({ listen: '443 ssl', tls: true });
    expect(() => loadConfig('nginx', { NGINX_LISTEN: '80; include /etc/passwd' })).toThrow(ConfigError);
    expect(() => loadConfig('nginx', { NGINX_SERVER_NAME: 'a; return 200' })).toThrow(ConfigError);
  });

  it('refuses a content folder that does not exist', () => {
    expect(() => loadConfig('content', { CONTENT_DIR: '/no/such/folder' })).toThrow(
      /CONTENT_DIR must be a folder holding site.yml/,
    );
  });
});

describe('the data folder (DATA_DIR)', () => {
  /** A project folder with its content, and a function to load the users section with a DATA_DIR. */
  function project() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'config-data-'));
    mkdirSync(path.join(root, 'content', 'sub'), { recursive: true });
    mkdirSync(path.join(root, 'export'));
    const load = (dataDir: string) =>
      loadConfig('users', { CONTENT_DIR: 'content', OUT_DIR: 'export', DATA_DIR: dataDir }, root);
    return { root, load, done: () => rmSync(root, { recursive: true, force: true }) };
  }

  it('is refused inside the content folder however it is written: compared folder by folder, links followed', () => {
    const { root, load, done } = project();
    try {
      symlinkSync(path.join(root, 'content', 'sub'), path.join(root, 'link-into-content'));
      symlinkSync(path.join(root, 'content'), path.join(root, 'content-link'));
      const insideContent = [
        'content/..data',
        'content/data',
        'content',
        'link-into-content',
        'content-link/data',
        'content/sub/../.data',
        '.',
      ];
      for (const inside of insideContent)
        expect(() => load(inside), inside).toThrow(/DATA_DIR must be outside the content folder/);
    } finally {
      done();
    }
  });

  it('is refused inside the export folder, links followed, and accepted beside both', () => {
    const { root, load, done } = project();
    try {
      symlinkSync(path.join(root, 'export'), path.join(root, 'export-link'));
      for (const inside of ['export/data', 'export-link/data', 'export/..data'])
        expect(() => load(inside), inside).toThrow(/DATA_DIR must be outside the export folder/);
      expect(load('data').dataDir).toBe(path.join(root, 'data'));
      expect(load('content-data').dataDir).toBe(path.join(root, 'content-data'));
      expect(load('..data').dataDir).toBe(path.join(root, '..data'));
    } finally {
      done();
    }
  });
});

describe('secrets', () => {
  it('never print: not in strings, JSON, inspection or a log line', () => {
    const secret = new Secret('hunter2-correct-horse');
    expect(secret.reveal()).toBe('hunter2-correct-horse');
    expect(`${secret}`).toBe('[secret]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[secret]"}');
    expect(inspect({ secret })).not.toContain('hunter2');
    let logged = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    createLogger('info', stream).info({ secret, nested: { secret } }, `value ${secret}`);
    expect(logged).toContain('[secret]');
    expect(logged).not.toContain('hunter2');
  });
});
