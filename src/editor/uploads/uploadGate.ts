/**
 * Uploads are held in memory while they are checked (up to 50 MB each), so
 * only a few run at once: one more is told to try again in a moment rather
 * than letting a burst of large uploads exhaust the server's memory.
 */
export class UploadGate {
  private running = 0;

  constructor(private readonly limit = 2) {}

  /** Runs `task` if there is room; returns null (without running it) when there is not. */
  async run<T>(task: () => Promise<T>): Promise<T | null> {
    if (this.running >= this.limit) return null;
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
    }
  }
}
