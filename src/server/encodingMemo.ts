/**
 * The encoding chosen for each Accept-Encoding value, remembered: browsers
 * send a handful of distinct values, so nearly every request is a lookup.
 *
 * Bounded in both directions a client could push: long values are not kept
 * (negotiateEncoding reads only their start anyway), and when the memo is
 * full the oldest value makes way for the new one, so rotating values cost
 * one short negotiation each and never wipe the values everyone else sends.
 */
import { negotiateEncoding, type Encoding } from '../render/prepared.js';

/** Longer values are negotiated each time, not kept. */
export const MAX_REMEMBERED_LENGTH = 128;
export const MAX_REMEMBERED_VALUES = 64;

export class EncodingMemo {
  private readonly chosen = new Map<string, Encoding>();

  constructor(private readonly negotiate: (header: string) => Encoding = negotiateEncoding) {}

  encodingFor(header: string | undefined): Encoding {
    if (header === undefined) return 'identity';
    let encoding = this.chosen.get(header);
    if (encoding !== undefined) return encoding;
    encoding = this.negotiate(header);
    if (header.length <= MAX_REMEMBERED_LENGTH) {
      if (this.chosen.size >= MAX_REMEMBERED_VALUES) this.chosen.delete(this.chosen.keys().next().value!);
      this.chosen.set(header, encoding);
    }
    return encoding;
  }

  get size(): number {
    return this.chosen.size;
  }
}
