/**
 * The worker side of WorkerPool: receives contexts and tasks, runs the
 * handler a task names, and answers with its result (moving the result's
 * buffers rather than copying them). An error inside a task is answered as
 * that task's error; the worker goes on with the next.
 */
import { parentPort } from 'node:worker_threads';
import { CONTEXTS_KEPT, type FromWorker, type ToWorker } from './workerPool.js';

/** A context as a handler sees it: the data sent, and values worked out from it once on this thread. */
export interface WorkerContext {
  data: unknown;
  memo<T>(key: string, make: () => T): T;
}

export interface TaskAnswer {
  result: unknown;
  /** Buffers in the result to move to the main thread. */
  transfer?: ArrayBuffer[];
}

export type TaskHandler = (payload: unknown, context: WorkerContext | null) => TaskAnswer | Promise<TaskAnswer>;

export function serveTasks(handlers: Record<string, TaskHandler>): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks runs in a worker thread');
  const contexts = new Map<string, WorkerContext>();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      port.close(); // nothing else keeps the thread alive: it ends by itself
      return;
    }
    if (message.type === 'context') {
      const derived = new Map<string, unknown>();
      contexts.set(message.id, {
        data: message.data,
        memo: <T>(key: string, make: () => T): T => {
          if (!derived.has(key)) derived.set(key, make());
          return derived.get(key) as T;
        },
      });
      while (contexts.size > CONTEXTS_KEPT) contexts.delete(contexts.keys().next().value!);
      return;
    }
    void run(message);
  });

  async function run(message: Extract<ToWorker, { type: 'task' }>): Promise<void> {
    let answer: FromWorker;
    let transfer: ArrayBuffer[] = [];
    try {
      const handler = handlers[message.kind];
      if (!handler) throw new Error(`no task "${message.kind}" on this worker`);
      const context = message.context === null ? null : (contexts.get(message.context) ?? null);
      if (message.context !== null && !context) throw new Error(`the worker lost the context of "${message.kind}"`);
      const done = await handler(message.payload, context);
      answer = { id: message.id, ok: true, result: done.result };
      transfer = done.transfer ?? [];
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      answer = { id: message.id, ok: false, error: { message: e.message, ...(e.stack ? { stack: e.stack } : {}) } };
    }
    port!.postMessage(answer, transfer);
  }
}
