import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { describe, expect, it } from 'vitest';
import { EventStreams, REPLACED_EVENT } from '../../src/server/eventStreams.js';

/** Enough of a response for the stream list: writes, ends, a backlog, a close event. */
class FakeStream extends EventEmitter {
  written: string[] = [];
  ended: string | null | undefined = undefined;
  backlog = 0;
  get writableLength(): number {
    return this.backlog;
  }
  write(text: string): boolean {
    this.written.push(text);
    return true;
  }
  end(text?: string): void {
    this.ended = text ?? null;
    this.emit('close');
  }
}
const fakeStream = () => new FakeStream() as FakeStream & Response;

describe('the preview’s event streams', () => {
  it('keep a few per client, a new one replacing that client’s oldest, which is told so', () => {
    const streams = new EventStreams({ perClient: 2, total: 10 });
    const [a, b, c] = [fakeStream(), fakeStream(), fakeStream()];
    for (const s of [a, b, c]) {
      expect(streams.hasRoomFor('127.0.0.1')).toBe(true);
      streams.add('127.0.0.1', s);
    }
    expect(a.ended).toBe(REPLACED_EVENT);
    expect([b.ended, c.ended]).toEqual([undefined, undefined]);
    expect(streams.size).toBe(2);
  });

  it('refuse a new client only when every slot is taken by others', () => {
    const streams = new EventStreams({ perClient: 2, total: 3 });
    streams.add('a', fakeStream());
    streams.add('a', fakeStream());
    streams.add('b', fakeStream());
    expect(streams.hasRoomFor('c')).toBe(false);
    expect(streams.hasRoomFor('a')).toBe(true);
  });

  it(
    'free a slot when a stream closes, and end a stream whose client stopped ' + 'reading instead of buffering for it',
    () => {
      const streams = new EventStreams({ perClient: 4, total: 4 });
      const [reading, stalled, gone] = [fakeStream(), fakeStream(), fakeStream()];
      for (const s of [reading, stalled, gone]) streams.add('x', s);
      gone.emit('close');
      expect(streams.size).toBe(2);
      stalled.backlog = 1024;
      streams.broadcast(': keep-alive\n\n');
      expect(reading.written).toEqual([': keep-alive\n\n']);
      expect(stalled.written).toEqual([]);
      expect(stalled.ended).toBeNull();
      expect(streams.size).toBe(1);
      streams.endAll();
      expect(streams.size).toBe(0);
    },
  );
});
