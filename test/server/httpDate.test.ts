import { describe, expect, it } from 'vitest';
import { parseHttpDate } from '../../src/server/httpDate.js';

const NOW = Date.UTC(2026, 10, 25);

describe('HTTP-date', () => {
  it('reads the three formats of RFC 9110', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(t);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(t);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994', NOW)).toBe(t);
  });

  it('puts a two-digit year more than 50 years ahead in the past century', () => {
    expect(new Date(parseHttpDate('Thursday, 01-Jan-70 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(2070);
    expect(new Date(parseHttpDate('Monday, 01-Jan-77 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(1977);
  });

  it('is null for anything else', () => {
    for (const value of [
      undefined,
      '',
      '3000',
      'Dec 2099',
      '1',
      '2026-11-25T00:00:00Z',
      'Sun, 6 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 UTC',
      'sun, 06 nov 1994 08:49:37 gmt',
      'Sun, 06 Nov 1994 24:00:00 GMT',
      'Sun, 31 Nov 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 08:49:37 GMT and more',
      'x'.repeat(1000),
    ]) {
      expect(parseHttpDate(value, NOW), String(value)).toBeNull();
    }
  });
});
