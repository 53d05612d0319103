/**
 * The worker pool: tasks and their contexts reach the workers as plain data,
 * a task's error is that task's, and a worker that dies fails its task with
 * a message that says so, at once, instead of leaving the caller waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { machineParallelism, WorkerCrashError, WorkerPool } from '../../src/parallel/workerPool.js';

const script = new URL('../fixtures/workers/testWorker.mjs', import.meta.url);
const pools: WorkerPool[] = [];

function pool(options: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}): WorkerPool {
  const made = new WorkerPool({ script, name: 'the test workers', size: 2, ...options });
  pools.push(made);
  return made;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('the worker pool', () => {
  it('is sized to the machine unless told otherwise', () => {
    expect(new WorkerPool({ script }).size).toBe(machineParallelism());
    expect(machineParallelism()).toBeGreaterThanOrEqual(1);
  });

  it('runs tasks on plain data, sends each context to a worker once, and answers in order of asking', async () => {
    const p = pool();
    const context = { id: 'site-1', data: { settings: new Map([['a', 1]]), when: new Date(0) } };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => p.run<{ payload: number; context: unknown }>('echo', i, { context })),
    );
    expect(results.map((r) => r.payload)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(results[0]!.context).toEqual(context.data);
    expect(p.stats.started).toBeLessThanOrEqual(2);
  });

  it("rejects a task whose code throws, with the task's message, and goes on with the next", async () => {
    const p = pool({ size: 1 });
    await expect(p.run('fail', null)).rejects.toThrow('the task failed');
    await expect(p.run('echo', 1)).resolves.toEqual({ payload: 1, context: null });
    expect(p.stats.crashed).toBe(0);
  });

  it.each([
    ['exits', 'exit', /stopped \(exit code 3\) while running "exit"/],
    ['throws where no task catches it', 'throwLater', /failed: an error nobody caught/],
  ])('fails the task of a worker that %s, then runs later tasks on a new worker', async (_how, kind, message) => {
    const p = pool({ size: 1 });
    const crashed = p.run(kind, null);
    crashed.catch(() => undefined); // looked at below
    const next = p.run('echo', 'after');
    await expect(crashed).rejects.toBeInstanceOf(WorkerCrashError);
    await expect(crashed).rejects.toThrow(message);
    await expect(crashed).rejects.toThrow(/a worker thread of the test workers/);
    await expect(next).resolves.toEqual({ payload: 'after', context: null });
    expect(p.stats.started).toBe(2);
  });

  it('fails the task of a worker that runs out of memory', async () => {
    // A small heap, so that running out takes a moment.
    const p = pool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 16 } });
    await expect(p.run('allocate', null)).rejects.toBeInstanceOf(WorkerCrashError);
  });

  it('gives workers started after limitHeap that heap limit, and leaves running ones as they are', async () => {
    const p = pool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 300 } });
    type Limits = { maxOldGenerationSizeMb: number };
    expect((await p.run<Limits>('limits', null)).maxOldGenerationSizeMb).toBe(300);
    p.limitHeap({ maxOldGenerationSizeMb: 200 });
    expect((await p.run<Limits>('limits', null)).maxOldGenerationSizeMb).toBe(300);
    await p.run('exit', null).catch(() => undefined); // the worker goes; the next one is new
    expect((await p.run<Limits>('limits', null)).maxOldGenerationSizeMb).toBe(200);
  });

  it('lets idle workers go after a while, keeping the minimum', async () => {
    const p = pool({ idleMs: 20, minWorkers: 1 });
    await Promise.all([p.run('echo', 1), p.run('echo', 2)]);
    expect(p.stats.started).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(p.running).toBe(1);
  });

  it('renews at once the idle workers that have worked, starting a fresh one for the minimum kept', async () => {
    const p = pool({ idleMs: 60_000, minWorkers: 1, resourceLimits: { maxOldGenerationSizeMb: 300 } });
    await Promise.all([p.run('echo', 1), p.run('echo', 2)]);
    expect(p.stats.started).toBe(2);
    p.resize(1);
    p.limitHeap({ maxOldGenerationSizeMb: 200 });
    p.renewIdle();
    // Both workers that parsed are gone without waiting a minute; the one in their place is new (the new limit).
    expect(p.running).toBe(1);
    expect(p.stats.started).toBe(3);
    // A fresh worker that has not worked yet is left alone.
    p.renewIdle();
    expect(p.stats.started).toBe(3);
    type Limits = { maxOldGenerationSizeMb: number };
    expect((await p.run<Limits>('limits', null)).maxOldGenerationSizeMb).toBe(200);
    expect(p.stats.started).toBe(3);
  });

  it('rejects what is still waiting when it is closed', async () => {
    const p = pool({ size: 1 });
    const settling = Promise.allSettled([p.run('echo', 1), p.run('echo', 2), p.run('echo', 3)]);
    await p.close();
    const settled = await settling;
    expect(settled.some((s) => s.status === 'rejected')).toBe(true);
    await expect(p.run('echo', 4)).rejects.toThrow(/closed/);
  });
});
