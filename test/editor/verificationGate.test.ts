/**
 * The gate in front of password checks: a bounded number at once, one at a
 * time per key, and attempts past the queue turned away without running.
 */
import { describe, expect, it } from 'vitest';
import { VerificationGate } from '../../src/editor/auth/verificationGate.js';

/** A task that runs until released, recording what ran alongside it. */
function controlled(log: string[], name: string) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const task = async () => {
    log.push(`start ${name}`);
    await released;
    log.push(`end ${name}`);
    return name;
  };
  return { task, release };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the verification gate', () => {
  it('runs at most `concurrent` checks at once and turns away what does not fit in the queue', async () => {
    const gate = new VerificationGate({ concurrent: 2, queued: 1 });
    const log: string[] = [];
    const tasks = ['a', 'b', 'c', 'd'].map((n) => controlled(log, n));
    const runs = tasks.map((t, i) => gate.run(`key${i}`, t.task));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    // The fourth did not fit (2 running, 1 waiting): refused at once, never run.
    expect(await runs[3]).toEqual({ ran: false });
    tasks[0]!.release();
    await tick();
    expect(log).toEqual(['start a', 'start b', 'end a', 'start c']);
    tasks[1]!.release();
    tasks[2]!.release();
    expect(await Promise.all(runs.slice(0, 3))).toEqual([
      { ran: true, value: 'a' },
      { ran: true, value: 'b' },
      { ran: true, value: 'c' },
    ]);
    expect(gate.peak).toBe(2);
    // Room again once the queue has moved on.
    expect(await gate.run('key', async () => 'e')).toEqual({ ran: true, value: 'e' });
  });

  it('runs the checks of one key one after the other, in order, even with free slots', async () => {
    const gate = new VerificationGate({ concurrent: 4, queued: 10 });
    const log: string[] = [];
    const tasks = ['a', 'b', 'c'].map((n) => controlled(log, n));
    const runs = tasks.map((t) => gate.run('alice from 192.0.2.1', t.task));
    const other = controlled(log, 'other');
    const otherRun = gate.run('bob from 192.0.2.1', other.task);
    await tick();
    expect(log).toEqual(['start a', 'start other']);
    tasks[0]!.release();
    await tick();
    expect(log.slice(2)).toEqual(['end a', 'start b']);
    tasks[1]!.release();
    tasks[2]!.release();
    other.release();
    await Promise.all([...runs, otherRun]);
    expect(gate.peakPerKey).toBe(1);
  });

  it('frees its slot when a check fails', async () => {
    const gate = new VerificationGate({ concurrent: 1, queued: 0 });
    await expect(
      gate.run('k', async () => {
        throw new Error('broken hash');
      }),
    ).rejects.toThrow('broken hash');
    expect(await gate.run('k', async () => 1)).toEqual({ ran: true, value: 1 });
  });
});
