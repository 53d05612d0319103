/** The tally of refused sign-ins: a few audit lines per limit and window, each with a count. */
import { describe, expect, it } from 'vitest';
import { RefusalTally } from '../../src/editor/audit/refusalTally.js';

describe('the refusal tally', () => {
  it('asks for a line at the 1st, 10th, 100th... refusal of a limit, and counts the window before at the next', () => {
    let now = 0;
    const tally = new RefusalTally(60_000, () => now);
    const recorded: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const note = tally.note('alice from 192.0.2.1');
      if (note.record) recorded.push(note.count);
    }
    expect(recorded).toEqual([1, 10, 100, 1000]);
    // Another limit has its own count.
    expect(tally.note('address 192.0.2.1')).toEqual({ record: true, count: 1 });
    now += 60_000;
    expect(tally.note('alice from 192.0.2.1')).toEqual({ record: true, count: 1, before: 1500 });
  });

  it('holds a bounded number of tallies, forgetting the oldest first', () => {
    const tally = new RefusalTally(60_000, () => 0);
    for (let i = 0; i < 25_000; i++) tally.note(`address 10.0.${i >> 8}.${i & 255}`);
    expect((tally as unknown as { tallies: Map<string, unknown> }).tallies.size).toBeLessThanOrEqual(10_000);
    // The newest is still counted; the oldest starts again.
    expect(tally.note(`address 10.0.${24_999 >> 8}.${24_999 & 255}`).record).toBe(false);
    expect(tally.note('address 10.0.0.0')).toEqual({ record: true, count: 1 });
  });
});
