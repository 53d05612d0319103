/**
 * Values worked out from a content file, remembered between builds: a
 * rebuild after one edit works on the changed file, not on every file again.
 *
 * An entry is reused when the file's path, its bytes (compared by SHA-256)
 * and the caller's key (whatever else the value depends on) are the same. A
 * reused entry returns the very same value object. The cache is an object
 * its owner keeps (the content loader, a test), never module state.
 */
import { createHash } from 'node:crypto';

/** What a build needs of such a cache: a kept one, or a read-only view of it. */
export interface BuildCache<T> {
  beginBuild(): void;
  get(path: string, bytes: Buffer, key: string, make: (digest: Buffer) => T): T;
  /**
   * The first half of `get`, for values made elsewhere (on a worker thread):
   * the value when these very bytes were seen last (no hashing), or else the
   * digest kept for the path, so that whoever hashes the bytes can tell an
   * unchanged file without making the value again.
   */
  lookup(path: string, bytes: Buffer, key: string): { value: T } | { knownDigest: Buffer | null };
  /** The second half: the bytes' digest and, unless the digest was the known one, the value made from them. */
  settle(path: string, bytes: Buffer, key: string, digest: Buffer, make: () => T): T;
  endBuild(): void;
}

interface Entry<T> {
  bytes: Buffer;
  digest: Buffer;
  key: string;
  value: T;
}

export class ContentCache<T> implements BuildCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly seen = new Set<string>();
  hits = 0;
  misses = 0;

  /** The value for these bytes, from the cache or from `make`, which gets the bytes' SHA-256 digest. */
  get(path: string, bytes: Buffer, key: string, make: (digest: Buffer) => T): T {
    const found = this.lookup(path, bytes, key);
    if ('value' in found) return found.value;
    const digest = sha256(bytes);
    return this.settle(path, bytes, key, digest, () => make(digest));
  }

  lookup(path: string, bytes: Buffer, key: string): { value: T } | { knownDigest: Buffer | null } {
    this.seen.add(path);
    const cached = this.entries.get(path);
    if (!cached || cached.key !== key) return { knownDigest: null };
    // The same Buffer means the file was not read again; otherwise its content is compared by digest.
    if (cached.bytes === bytes) {
      this.hits++;
      return { value: cached.value };
    }
    return { knownDigest: cached.digest };
  }

  settle(path: string, bytes: Buffer, key: string, digest: Buffer, make: () => T): T {
    this.seen.add(path);
    const cached = this.entries.get(path);
    if (cached && cached.key === key && cached.digest.equals(digest)) {
      cached.bytes = bytes;
      this.hits++;
      return cached.value;
    }
    this.misses++;
    const value = make();
    this.entries.set(path, { bytes, digest, key, value });
    return value;
  }

  /** Call before a build; `endBuild` then forgets files the build did not see (deleted or renamed). */
  beginBuild(): void {
    this.seen.clear();
    this.hits = 0;
    this.misses = 0;
  }

  endBuild(): void {
    for (const path of this.entries.keys()) if (!this.seen.has(path)) this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * The same cache for a trial build (validating an edit before it is
   * saved): it reuses what is kept but keeps and forgets nothing.
   */
  readOnly(): BuildCache<T> {
    const lookup = (path: string, bytes: Buffer, key: string): { value: T } | { knownDigest: Buffer | null } => {
      const cached = this.entries.get(path);
      if (!cached || cached.key !== key) return { knownDigest: null };
      return cached.bytes === bytes ? { value: cached.value } : { knownDigest: cached.digest };
    };
    const settle = (path: string, _bytes: Buffer, key: string, digest: Buffer, make: () => T): T => {
      const cached = this.entries.get(path);
      return cached && cached.key === key && cached.digest.equals(digest) ? cached.value : make();
    };
    return {
      beginBuild: () => undefined,
      endBuild: () => undefined,
      lookup,
      settle,
      get: (path, bytes, key, make) => {
        const found = lookup(path, bytes, key);
        if ('value' in found) return found.value;
        const digest = sha256(bytes);
        return settle(path, bytes, key, digest, () => make(digest));
      },
    };
  }
}

export function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
