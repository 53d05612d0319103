/**
 * A pool of worker threads, sized to the machine, that runs named tasks on
 * plain data. The main thread hands out work and keeps answering requests;
 * the workers parse, render and compress.
 *
 * - Each task goes to one idle worker; the rest wait in order.
 * - A task may name a context (the settings every page of a build is parsed
 *   against, the site a page is rendered in): it is sent to a worker once,
 *   before the first task that needs it there, not with every task.
 * - A worker that dies (an uncaught error, running out of memory, exiting)
 *   fails the task it was running with a WorkerCrashError saying so, and is
 *   replaced for the tasks after it: nothing waits for an answer that cannot come.
 * - Workers beyond `minWorkers` end after `idleMs` without work, giving their
 *   memory back; a worker with nothing to do does not keep the process alive.
 */
import os from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';

export interface WorkerPoolOptions {
  /** The worker's script (an ES module that calls serveTasks). */
  script: URL;
  /** Most workers at once; the machine's available parallelism by default. */
  size?: number;
  /** Workers kept while idle (0 by default: all end after idleMs). */
  minWorkers?: number;
  /** How long an idle worker beyond minWorkers lives; 5 s by default. */
  idleMs?: number;
  /** Named in error messages: "the content workers". */
  name?: string;
  /** Heap limits of each worker (Node's defaults when absent). */
  resourceLimits?: ResourceLimits;
}

/** A worker thread stopped while it had a task: the task cannot finish. */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
}

export interface TaskContext {
  /** Identifies the data: a worker that has a context with this id is not sent it again. */
  id: string;
  data: unknown;
}

export interface TaskOptions {
  context?: TaskContext;
  /** ArrayBuffers to move to the worker rather than copy (the sender loses them). */
  transfer?: ArrayBuffer[];
}

/** How many contexts a worker keeps (the newest); the pool remembers the same ones. */
export const CONTEXTS_KEPT = 4;

interface Task {
  kind: string;
  payload: unknown;
  options: TaskOptions;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  /** Has run a task: its heap has grown with the work. */
  used: boolean;
  task: Task | null;
  taskId: number;
  contexts: string[];
  idleTimer: NodeJS.Timeout | null;
  gone: boolean;
}

/** Messages between the pool and its workers. */
export type ToWorker =
  | { type: 'close' }
  | { type: 'context'; id: string; data: unknown }
  | { type: 'task'; id: number; kind: string; payload: unknown; context: string | null };
export type FromWorker =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { message: string; stack?: string } };

export function machineParallelism(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

export class WorkerPool {
  private size_: number;
  private readonly options: WorkerPoolOptions;
  private resourceLimits: ResourceLimits | undefined;
  private readonly workers = new Set<PoolWorker>();
  private readonly queue: Task[] = [];
  private nextTaskId = 1;
  private closed = false;
  /** Tasks run and workers started since the pool was made, for tests and logs. */
  readonly stats = { tasks: 0, started: 0, crashed: 0 };

  constructor(options: WorkerPoolOptions) {
    this.options = options;
    this.resourceLimits = options.resourceLimits;
    this.size_ = Math.max(1, Math.floor(options.size ?? machineParallelism()));
  }

  /** Heap limits of the workers started from now on (those running keep theirs). */
  limitHeap(limits: ResourceLimits | undefined): void {
    this.resourceLimits = limits;
  }

  /** Most workers at once. */
  get size(): number {
    return this.size_;
  }

  /**
   * Changes the most workers at once (a server uses every core for its first
   * load, when it answers no requests yet, then leaves one to them). Workers
   * beyond the new size end when their task does.
   */
  resize(size: number): void {
    this.size_ = Math.max(1, Math.floor(size));
    for (const entry of [...this.workers]) {
      if (this.workers.size <= this.size_) break;
      if (!entry.task) void this.retire(entry, null);
    }
  }

  /**
   * Ends now the idle workers that have run tasks, starting fresh ones in place of those kept
   * (minWorkers): a worker's heap grows with its work and V8 keeps most of it. A server calls it after its
   * first load, whose parsing leaves each worker holding far more than rendering needs.
   */
  renewIdle(): void {
    const keep = this.options.minWorkers ?? 0;
    for (const entry of [...this.workers]) {
      if (entry.task || entry.gone || !entry.used) continue;
      const renew = this.workers.size <= keep;
      void this.retire(entry, null);
      if (renew) this.start().worker.unref();
    }
  }

  /** Runs a task on a worker; resolves with its result, or rejects with its error or the worker's crash. */
  run<R>(kind: string, payload: unknown, options: TaskOptions = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error(`${this.label} are closed`));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ kind, payload, options, resolve: resolve as (value: unknown) => void, reject });
      this.dispatch();
    });
  }

  /** Workers alive now. */
  get running(): number {
    return this.workers.size;
  }

  /** Ends every worker; tasks still waiting or running are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error(`${this.label} were closed before the task ran`);
    for (const task of this.queue.splice(0)) task.reject(error);
    await Promise.all([...this.workers].map((w) => this.retire(w, error)));
  }

  private get label(): string {
    return this.options.name ?? 'the worker threads';
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let idle: PoolWorker | undefined;
      for (const w of this.workers) if (!w.task && !w.gone) idle = w;
      if (!idle) {
        if (this.workers.size >= this.size_) return;
        idle = this.start();
      }
      this.assign(idle, this.queue.shift()!);
    }
  }

  private start(): PoolWorker {
    const worker = new Worker(this.options.script, this.resourceLimits ? { resourceLimits: this.resourceLimits } : {});
    const entry: PoolWorker = {
      worker,
      used: false,
      task: null,
      taskId: 0,
      contexts: [],
      idleTimer: null,
      gone: false,
    };
    this.workers.add(entry);
    this.stats.started++;
    worker.on('message', (message: FromWorker) => this.answer(entry, message));
    worker.on('error', (error: Error) => this.lost(entry, `failed: ${error.message}`));
    worker.on('exit', (code: number) => this.lost(entry, `stopped (exit code ${code})`));
    return entry;
  }

  private assign(entry: PoolWorker, task: Task): void {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = null;
    entry.task = task;
    entry.used = true;
    entry.taskId = this.nextTaskId++;
    entry.worker.ref();
    const context = task.options.context;
    if (context && !entry.contexts.includes(context.id)) {
      entry.worker.postMessage({ type: 'context', id: context.id, data: context.data } satisfies ToWorker);
      entry.contexts.push(context.id);
      if (entry.contexts.length > CONTEXTS_KEPT) entry.contexts.shift();
    }
    const message: ToWorker = {
      type: 'task',
      id: entry.taskId,
      kind: task.kind,
      payload: task.payload,
      context: context?.id ?? null,
    };
    try {
      entry.worker.postMessage(message, task.options.transfer ?? []);
    } catch (error) {
      // The payload could not be sent (not plain data): a mistake in the caller, not the worker's.
      entry.task = null;
      task.reject(error instanceof Error ? error : new Error(String(error)));
      this.idle(entry);
    }
  }

  private answer(entry: PoolWorker, message: FromWorker): void {
    const task = entry.task;
    if (!task || message.id !== entry.taskId) return;
    entry.task = null;
    this.stats.tasks++;
    if (this.workers.size > this.size_) {
      // Over the size after a resize: this one goes once its answer is handed on.
      void this.retire(entry, null);
      this.settle(task, message);
      this.dispatch();
      return;
    }
    this.settle(task, message);
    this.idle(entry);
    this.dispatch();
  }

  private settle(task: Task, message: FromWorker): void {
    if (message.ok) task.resolve(message.result);
    else {
      const error = new Error(message.error.message);
      if (message.error.stack) error.stack = message.error.stack;
      task.reject(error);
    }
  }

  private idle(entry: PoolWorker): void {
    if (entry.task || entry.gone) return;
    entry.worker.unref();
    const keep = this.options.minWorkers ?? 0;
    if (this.queue.length > 0 || (this.workers.size <= keep && !entry.used)) return;
    entry.idleTimer = setTimeout(() => {
      entry.idleTimer = null;
      if (entry.task || this.closed) return;
      const renew = this.workers.size <= keep;
      void this.retire(entry, null);
      // A worker kept for the next task is renewed: a fresh one holds a fraction of the memory of one that worked.
      if (renew) this.start().worker.unref();
    }, this.options.idleMs ?? 5000);
    entry.idleTimer.unref();
  }

  /** Takes a worker out of the pool; returns the task it was running, if any. */
  private forget(entry: PoolWorker): Task | null {
    entry.gone = true;
    this.workers.delete(entry);
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    const task = entry.task;
    entry.task = null;
    return task;
  }

  /** A worker is gone: whatever it was running fails, and later tasks get another worker. */
  private lost(entry: PoolWorker, how: string): void {
    if (entry.gone) return;
    const task = this.forget(entry);
    if (task) {
      this.stats.crashed++;
      task.reject(new WorkerCrashError(`a worker thread of ${this.label} ${how} while running "${task.kind}"`));
    }
    if (!this.closed) this.dispatch();
  }

  private async retire(entry: PoolWorker, error: Error | null): Promise<void> {
    if (entry.gone) return;
    const task = this.forget(entry);
    if (task) {
      task.reject(error ?? new Error(`${this.label} were closed`));
      await entry.worker.terminate();
      return;
    }
    // An idle worker is asked to finish (so that it ends as a process would, profiles and all), then made to.
    const exited = new Promise<void>((resolve) => entry.worker.once('exit', () => resolve()));
    entry.worker.postMessage({ type: 'close' } satisfies ToWorker);
    const timer = setTimeout(() => void entry.worker.terminate(), 1000);
    await exited;
    clearTimeout(timer);
  }
}
