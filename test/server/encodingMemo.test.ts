import { describe, expect, it } from 'vitest';
import type { Encoding } from '../../src/render/prepared.js';
import { EncodingMemo, MAX_REMEMBERED_LENGTH, MAX_REMEMBERED_VALUES } from '../../src/server/encodingMemo.js';

function counted(): { memo: EncodingMemo; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const memo = new EncodingMemo((header): Encoding => {
    calls.set(header, (calls.get(header) ?? 0) + 1);
    return header.includes('br') ? 'br' : 'gzip';
  });
  return { memo, calls };
}

describe('the Accept-Encoding memo', () => {
  it('negotiates each value a browser sends once', () => {
    const { memo, calls } = counted();
    for (let i = 0; i < 100; i++) expect(memo.encodingFor('gzip, deflate, br')).toBe('br');
    expect(memo.encodingFor(undefined)).toBe('identity');
    expect(calls.get('gzip, deflate, br')).toBe(1);
  });

  it('is not wiped by a client rotating values: the oldest values make way one at a time', () => {
    const { memo, calls } = counted();
    const browsers = ['gzip, deflate, br', 'gzip, deflate, br, zstd', 'gzip, deflate'];
    for (const b of browsers) memo.encodingFor(b);
    for (let i = 0; i < 10 * MAX_REMEMBERED_VALUES; i++) {
      memo.encodingFor(`gzip;q=0.${i}`);
      // Browsers keep sending theirs: each is negotiated again at most once per MAX_REMEMBERED_VALUES rotations.
      for (const b of browsers) memo.encodingFor(b);
    }
    expect(memo.size).toBeLessThanOrEqual(MAX_REMEMBERED_VALUES);
    for (const b of browsers)
      expect(calls.get(b)!).toBeLessThanOrEqual(
        1 + Math.ceil((10 * MAX_REMEMBERED_VALUES) / (MAX_REMEMBERED_VALUES - browsers.length)),
      );
  });

  it('keeps no long value', () => {
    const { memo } = counted();
    memo.encodingFor(`gzip, ${'x'.repeat(MAX_REMEMBERED_LENGTH)}`);
    expect(memo.size).toBe(0);
  });
});
