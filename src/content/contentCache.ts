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
    this.seen.add(path);
    const cached = this.entries.get(path);
    if (cached && cached.key === key) {
      // The same Buffer means the file was not read again; otherwise compare content.
      if (cached.bytes === bytes) {
        this.hits++;
        return cached.value;
      }
    }
    const digest = sha256(bytes);
    if (cached && cached.key === key && cached.digest.equals(digest)) {
      cached.bytes = bytes;
      this.hits++;
      return cached.value;
    }
    this.misses++;
    const value = make(digest);
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
    return {
      beginBuild: () => undefined,
      endBuild: () => undefined,
      get: (path, bytes, key, make) => {
        const cached = this.entries.get(path);
        if (cached && cached.key === key && cached.bytes === bytes) return cached.value;
        const digest = sha256(bytes);
        if (cached && cached.key === key && cached.digest.equals(digest)) return cached.value;
        return make(digest);
      },
    };
  }
}

export function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}
