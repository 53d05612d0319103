import { describe, expect, it } from 'vitest';
import { allowsHost, hostName, isLoopbackName } from '../../../src/server/middleware/hostCheck.js';

describe('the preview’s Host check', () => {
  it('reads the name from a Host header, without port or trailing dot', () => {
    expect(hostName('LocalHost:3000')).toBe('localhost');
    expect(hostName('[::1]:3000')).toBe('::1');
    expect(hostName('[::1]')).toBe('::1');
    expect(hostName('example.org.')).toBe('example.org');
  });

  it('knows the loopback names and addresses', () => {
    for (const name of ['localhost', 'editor.localhost', '127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackName(name), name).toBe(true);
    for (const name of ['localhost.example', 'example.org', '10.0.0.1', '0.0.0.0', '::', '::2', '128.0.0.1'])
      expect(isLoopbackName(name), name).toBe(false);
  });

  it('allows the configured host, but not every name when listening on every interface', () => {
    expect(allowsHost('preview.internal', 'Preview.Internal:8080')).toBe(true);
    expect(allowsHost('192.168.1.5', '192.168.1.5:3000')).toBe(true);
    expect(allowsHost('fd00::5', '[fd00::5]:3000')).toBe(true);
    expect(allowsHost('0.0.0.0', 'attacker.example')).toBe(false);
    expect(allowsHost('0.0.0.0', '0.0.0.0')).toBe(false);
    expect(allowsHost('::', '[::]:3000')).toBe(false);
    expect(allowsHost(undefined, 'attacker.example')).toBe(false);
    expect(allowsHost('127.0.0.1', '')).toBe(false);
  });
});
