import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('WATCH_CONTENT', () => {
  it('watches by default and can be turned off', () => {
    expect(loadConfig('server', {}).watchContent).toBe(true);
    expect(loadConfig('server', { WATCH_CONTENT: 'true' }).watchContent).toBe(true);
    expect(loadConfig('server', { WATCH_CONTENT: 'false' }).watchContent).toBe(false);
  });

  it('refuses anything but true or false, saying so', () => {
    expect(() => loadConfig('server', { WATCH_CONTENT: 'no' })).toThrow(ConfigError);
    expect(() => loadConfig('server', { WATCH_CONTENT: 'no' })).toThrow(
      /WATCH_CONTENT must be true or false \(got "no"\)/,
    );
  });
});
