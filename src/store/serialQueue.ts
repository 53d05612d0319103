/**
 * Runs tasks one at a time, in the order they were queued: every write to
 * the content goes through one queue, so two writers never interleave (and
 * git, later, never meets its own index lock).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    // The queue goes on after a failed task; the failure is the caller's.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
