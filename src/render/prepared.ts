/**
 * A response prepared once and served many times from memory: the bytes, a
 * strong ETag, and gzip and brotli variants compressed on first use and kept.
 */
import { brotliCompressSync, constants, gunzipSync, gzipSync } from 'node:zlib';
import { strongEtag } from '../content/fileInfo.js';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Below this, compression saves too little to be worth a variant. */
const MIN_COMPRESSIBLE_BYTES = 256;

export interface CompressionOptions {
  /** Brotli quality 0-11: 11 for assets compressed once at start, lower for many pages. */
  brotliQuality: number;
  /** zlib level 1-9; 9 when absent (responses compressed once and served many times). */
  gzipLevel?: number;
  /**
   * Keep the uncompressed bytes in memory. Pages do not: browsers always
   * accept gzip, and a large site's pages would otherwise cost several times
   * the memory; the rare identity request is inflated from the gzip bytes.
   */
  keepIdentity: boolean;
}

/**
 * Levels chosen by measurement (test/bench/compressionLevels.ts, run by `npm run bench`): on both benchmark
 * corpora, gzip 5 and brotli 5 cost the least CPU time plus time to send a page once over a slow connection.
 * Higher levels saved under 1% of the bytes for up to 1.6× the time; brotli 10 and 11 saved 7 to 10% for 30 to
 * 100 times the time, which a page sent a few hundred times never earns back.
 */
export const PAGE_COMPRESSION: CompressionOptions = { brotliQuality: 5, gzipLevel: 5, keepIdentity: false };
export const ASSET_COMPRESSION: CompressionOptions = { brotliQuality: 11, keepIdentity: true };

/**
 * zlib's one-shot functions return a view of a chunk larger than the output;
 * kept for the life of the site, the unused rest would be memory wasted (a
 * 7 KB page held a 32 KB chunk). Keep an exact copy instead.
 */
function exact(buffer: Buffer): Buffer {
  if (buffer.byteLength === buffer.buffer.byteLength) return buffer;
  const copy = Buffer.allocUnsafeSlow(buffer.length);
  buffer.copy(copy);
  return copy;
}

/** The gzip variant of a response's bytes, as kept and as exported (`.gz`). */
export function gzipVariant(bytes: Buffer, compression: CompressionOptions): Buffer {
  return exact(gzipSync(bytes, { level: compression.gzipLevel ?? 9 }));
}

/** The brotli variant of a response's bytes, as kept and as exported (`.br`). */
export function brotliVariant(identity: Buffer, compression: CompressionOptions): Buffer {
  return exact(
    brotliCompressSync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: compression.brotliQuality,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        // A window no larger than the body: the default (4 MB) makes each call
        // allocate far more than a page needs, which the allocator then keeps.
        [constants.BROTLI_PARAM_LGWIN]: Math.min(24, Math.max(16, Math.ceil(Math.log2(identity.length + 1)))),
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  );
}

export function isCompressible(contentType: string): boolean {
  return /^(?:text\/|application\/(?:[\w.-]+\+)?(?:xml|json)\b|application\/javascript|image\/svg\+xml)/.test(
    contentType,
  );
}

/** Marks the construction of a response whose variants are already made (PreparedResponse.precompressed). */
const PRECOMPRESSED: unique symbol = Symbol('precompressed');

export class PreparedResponse {
  private readonly identity: Buffer | undefined;
  readonly contentType: string;
  readonly compressible: boolean;
  private etagValue: string | undefined;
  private readonly compression: CompressionOptions;
  private gzipBody: Buffer | undefined;
  private readonly derived = new Map<string, unknown>();
  private brBody: Buffer | undefined;

  constructor(
    body: Buffer | string | typeof PRECOMPRESSED,
    contentType: string,
    compression: CompressionOptions = PAGE_COMPRESSION,
  ) {
    this.contentType = contentType;
    this.compression = compression;
    if (body === PRECOMPRESSED) {
      this.compressible = true;
      this.identity = undefined;
      return;
    }
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.compressible = isCompressible(contentType) && bytes.length >= MIN_COMPRESSIBLE_BYTES;
    if (this.compressible && !compression.keepIdentity) {
      this.etagValue = strongEtag(bytes);
      this.gzipBody = gzipVariant(bytes, compression);
      this.identity = undefined;
    } else {
      this.identity = bytes;
    }
  }

  /**
   * A response made elsewhere (a worker thread) from the same bytes, with the
   * same compression: its ETag and both variants, exactly as this class makes them.
   */
  static precompressed(
    contentType: string,
    made: { etag: string; gzip: Buffer; br: Buffer },
    compression: CompressionOptions = PAGE_COMPRESSION,
  ): PreparedResponse {
    const response = new PreparedResponse(PRECOMPRESSED, contentType, compression);
    response.etagValue = made.etag;
    response.gzipBody = made.gzip;
    response.brBody = made.br;
    return response;
  }

  /** The uncompressed bytes. */
  get body(): Buffer {
    return this.identity ?? gunzipSync(this.gzipBody!);
  }

  /** Strong validator of the identity bytes (hashed on first use); variants append their encoding. */
  get etag(): string {
    this.etagValue ??= strongEtag(this.body);
    return this.etagValue;
  }

  /** The bytes for an encoding (identity when not compressible). */
  bytes(encoding: Encoding): Buffer {
    if (!this.compressible || encoding === 'identity') return this.body;
    if (encoding === 'gzip') {
      this.gzipBody ??= gzipVariant(this.body, this.compression);
      return this.gzipBody;
    }
    // Kept bytes first: inflating the page to compress it again is the whole cost.
    if (this.brBody) return this.brBody;
    this.brBody = brotliVariant(this.body, this.compression);
    return this.brBody;
  }

  /** A value derived from this response (e.g. the header list a server sends with it), made once and kept. */
  memo<T>(key: string, make: () => T): T {
    if (this.derived.has(key)) return this.derived.get(key) as T;
    const value = make();
    this.derived.set(key, value);
    return value;
  }

  etagFor(encoding: Encoding): string {
    if (!this.compressible || encoding === 'identity') return this.etag;
    return `${this.etag.slice(0, -1)}-${encoding === 'br' ? 'br' : 'gz'}"`;
  }
}

/**
 * Accept-Encoding is read this far at most: browsers send a few dozen
 * characters, and a 16 KB header cost a millisecond to read in full.
 */
export const MAX_ACCEPT_ENCODING_READ = 512;

/**
 * Picks the encoding from Accept-Encoding: brotli, then gzip, then identity,
 * honouring q=0 refusals. Codings after the first MAX_ACCEPT_ENCODING_READ
 * characters are not read.
 */
export function negotiateEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const accepted = new Map<string, number>();
  const cut =
    header.length <= MAX_ACCEPT_ENCODING_READ ? header.length : header.lastIndexOf(',', MAX_ACCEPT_ENCODING_READ);
  const read = header.slice(0, cut >= 0 ? cut : MAX_ACCEPT_ENCODING_READ);
  for (const part of read.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p);
      if (m) q = Number(m[1]);
    }
    accepted.set(name, q);
  }
  const weight = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weight('br') > 0 && weight('br') >= weight('gzip')) return 'br';
  if (weight('gzip') > 0) return 'gzip';
  return 'identity';
}
