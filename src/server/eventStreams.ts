/**
 * The preview's open event streams (server-sent events), bounded per client
 * and in all. One client (one address; behind the preview that is usually
 * 127.0.0.1) holds at most MAX_STREAMS_PER_CLIENT streams: a new stream from
 * it replaces its oldest, which is told it was replaced so that its page
 * stops reconnecting. So no one page, however many streams it opens, can
 * take every slot and leave the editor's own page with 503.
 */
import type { Response } from 'express';

export const MAX_STREAMS_PER_CLIENT = 8;
export const MAX_STREAMS = 64;

/** Sent to a stream that a newer one from the same client replaced. */
export const REPLACED_EVENT = 'event: replaced\ndata: \n\n';

export class EventStreams {
  /** Streams by client, oldest first. */
  private readonly byClient = new Map<string, Response[]>();
  private count = 0;

  constructor(private readonly limits = { perClient: MAX_STREAMS_PER_CLIENT, total: MAX_STREAMS }) {}

  /** Whether `client` may open a stream now (replacing its oldest, if it has its share). */
  hasRoomFor(client: string): boolean {
    return (this.byClient.get(client)?.length ?? 0) >= this.limits.perClient || this.count < this.limits.total;
  }

  /** Adds a stream (check hasRoomFor first); the client's oldest is ended if it has its share already. */
  add(client: string, res: Response): void {
    let own = this.byClient.get(client);
    if (own && own.length >= this.limits.perClient) this.end(client, own[0]!, REPLACED_EVENT);
    own = this.byClient.get(client);
    if (!own) this.byClient.set(client, (own = []));
    own.push(res);
    this.count++;
    res.once('close', () => this.remove(client, res));
  }

  /**
   * Writes to every stream. A stream whose earlier writes are still waiting
   * (the client stopped reading) is ended instead of buffered without end.
   */
  broadcast(text: string): void {
    for (const [client, list] of [...this.byClient]) {
      for (const res of [...list]) {
        if (res.writableLength > 0) this.end(client, res);
        else res.write(text);
      }
    }
  }

  endAll(): void {
    for (const [client, list] of [...this.byClient]) for (const res of [...list]) this.end(client, res);
  }

  get size(): number {
    return this.count;
  }

  clientStreams(client: string): number {
    return this.byClient.get(client)?.length ?? 0;
  }

  private end(client: string, res: Response, last?: string): void {
    // Removed at once, not when the socket closes: the slot is free now.
    this.remove(client, res);
    res.end(last);
  }

  private remove(client: string, res: Response): void {
    const list = this.byClient.get(client);
    const at = list?.indexOf(res) ?? -1;
    if (!list || at === -1) return;
    list.splice(at, 1);
    this.count--;
    if (list.length === 0) this.byClient.delete(client);
  }
}
