import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_ACCEPT_ENCODING_READ,
  negotiateEncoding,
  PAGE_COMPRESSION,
  PreparedResponse,
} from '../../src/render/prepared.js';

const HTML = 'text/html; charset=utf-8';
const page = () => new PreparedResponse(`<p>${'A page of text. '.repeat(500)}</p>`, HTML, PAGE_COMPRESSION);

describe('prepared responses', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hold a page compressed, and give the same bytes in every encoding', () => {
    const r = page();
    const identity = r.body;
    expect(gunzipSync(r.bytes('gzip'))).toEqual(identity);
    expect(brotliDecompressSync(r.bytes('br'))).toEqual(identity);
    expect(r.bytes('identity')).toEqual(identity);
  });

  it('answer brotli and gzip from the bytes kept, without inflating the page again', () => {
    const r = page();
    const br = r.bytes('br');
    const gzip = r.bytes('gzip');
    const inflate = vi.spyOn(PreparedResponse.prototype, 'body', 'get');
    for (let i = 0; i < 3; i++) {
      expect(r.bytes('br')).toBe(br);
      expect(r.bytes('gzip')).toBe(gzip);
      r.etagFor('br');
    }
    expect(inflate).not.toHaveBeenCalled();
  });
});

describe('content negotiation', () => {
  it('prefers brotli, then gzip, honouring q=0', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip, br;q=0')).toBe('gzip');
    expect(negotiateEncoding('*;q=0, identity')).toBe('identity');
    expect(negotiateEncoding(undefined)).toBe('identity');
  });

  it('reads only the start of a very long header, so that its cost is bounded', () => {
    const long = `gzip;q=0, ${'x-unknown, '.repeat(1500)}gzip, br`;
    expect(long.length).toBeGreaterThan(16_000);
    expect(negotiateEncoding(long)).toBe('identity');
    expect(negotiateEncoding(`br, ${'x'.repeat(MAX_ACCEPT_ENCODING_READ)}`)).toBe('br');
  });
});
