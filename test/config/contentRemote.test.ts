/**
 * CONTENT_GIT_REMOTE and its companions: only a path, ssh or https (never a
 * transport helper that runs a command, nor an unencrypted protocol, nor an
 * option), a token in an https address never shown, and a webhook secret
 * that is a Secret.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, gitRemote, loadConfig } from '../../src/config/config.js';

describe('the content remote', () => {
  it('is off unless set, and a webhook secret alone is a mistake', () => {
    expect(loadConfig('server', {}).contentRemote).toBeNull();
    expect(() => loadConfig('server', { CONTENT_WEBHOOK_SECRET: 'a-long-enough-secret' })).toThrow(
      'CONTENT_WEBHOOK_SECRET is set, but CONTENT_GIT_REMOTE is not',
    );
  });

  it('takes a path, a file:// address, ssh and https, with what it may show in logs', () => {
    expect(gitRemote('../site.git', '/srv/app')).toMatchObject({ kind: 'file', display: '/srv/site.git' });
    expect(gitRemote('/srv/site.git', '/x').url.reveal()).toBe('/srv/site.git');
    expect(gitRemote('file:///srv/site.git', '/x')).toMatchObject({ kind: 'file', display: 'file:///srv/site.git' });
    expect(gitRemote('git@git.example.org:nhs/site.git', '/x')).toMatchObject({
      kind: 'ssh',
      display: 'git.example.org:nhs/site.git',
    });
    expect(gitRemote('ssh://deploy@git.example.org:2222/srv/site.git', '/x')).toMatchObject({
      kind: 'ssh',
      display: 'ssh://git.example.org:2222/srv/site.git',
    });
    const https = gitRemote('https://deploy:s3cret@git.example.org/nhs/site.git', '/x');
    expect(https).toMatchObject({ kind: 'https', display: 'https://git.example.org/nhs/site.git' });
    expect(https.url.reveal()).toContain('s3cret');
    expect(`${String(https.url)} ${JSON.stringify(https)} ${inspect(https)}`).not.toContain('s3cret');
  });

  it('refuses transport helpers, unencrypted protocols, options and odd characters', () => {
    for (const bad of [
      'ext::sh -c touch% /tmp/pwned',
      'ext::ssh',
      'fd::17',
      'foo::bar',
      'git://git.example.org/site.git',
      'http://git.example.org/site.git',
      'ftp://git.example.org/site.git',
      '--upload-pack=touch /tmp/pwned',
      '-oProxyCommand=evil',
      'file://evil.example.org/srv/site.git',
      '/srv/site.git\nother',
      'ssh://-oProxyCommand=evil/x',
      '-host:path',
    ]) {
      expect(() => gitRemote(bad, '/x'), bad).toThrow(ConfigError);
    }
  });

  it('reads the webhook secret as a Secret, and the follow interval within bounds', () => {
    const config = loadConfig('server', {
      CONTENT_GIT_REMOTE: '/srv/site.git',
      CONTENT_WEBHOOK_SECRET: 'correct-horse-battery-staple',
      CONTENT_FOLLOW_INTERVAL_MS: '5000',
    });
    expect(config.contentRemote!.followIntervalMs).toBe(5000);
    expect(config.contentRemote!.webhookSecret!.reveal()).toBe('correct-horse-battery-staple');
    expect(JSON.stringify(config)).not.toContain('correct-horse');
    expect(loadConfig('server', { CONTENT_GIT_REMOTE: '/srv/site.git' }).contentRemote).toMatchObject({
      followIntervalMs: 30_000,
      webhookSecret: null,
    });
    expect(() =>
      loadConfig('server', { CONTENT_GIT_REMOTE: '/srv/site.git', CONTENT_WEBHOOK_SECRET: 'short' }),
    ).toThrow('at least 16 characters');
    expect(() => loadConfig('server', { CONTENT_GIT_REMOTE: '/x', CONTENT_FOLLOW_INTERVAL_MS: '10' })).toThrow(
      'CONTENT_FOLLOW_INTERVAL_MS must be a whole number from 200 to 86400000',
    );
  });
});
