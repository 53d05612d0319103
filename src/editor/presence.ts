/**
 * Who has opened which page lately, so that the form can say "Ann Smith
 * opened this page 3 minutes ago": a soft notice, not a lock (people are
 * told, and the save merges or keeps a conflict; nobody is blocked). Held
 * in memory: it is about the last few minutes, not history.
 */
export const PRESENCE_WINDOW_MS = 10 * 60 * 1000;
const MAX_TRACKED_PAGES = 10_000;

export interface Visitor {
  user: string;
  displayName: string;
  at: number;
}

export class Presence {
  private readonly opened = new Map<string, Map<string, Visitor>>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Records that a person opened a page, and returns the others who did within the window. */
  open(file: string, user: string, displayName: string): Visitor[] {
    const now = this.now();
    let visitors = this.opened.get(file);
    if (!visitors) {
      if (this.opened.size >= MAX_TRACKED_PAGES) this.sweep(now);
      visitors = new Map();
      this.opened.set(file, visitors);
    }
    const others = [...visitors.values()]
      .filter((v) => v.user !== user && now - v.at < PRESENCE_WINDOW_MS)
      .sort((a, b) => b.at - a.at);
    visitors.set(user, { user, displayName, at: now });
    return others;
  }

  private sweep(now: number): void {
    for (const [file, visitors] of this.opened) {
      for (const [user, v] of visitors) if (now - v.at >= PRESENCE_WINDOW_MS) visitors.delete(user);
      if (visitors.size === 0) this.opened.delete(file);
    }
  }
}
