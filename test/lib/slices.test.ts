/** A sliced run finished at once by a caller that cannot wait: each slice runs once, both callers get one result. */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SlicedRun } from '../../src/lib/index.js';

function* counting(ran: number[], slices: number): Generator<void, { sum: number }> {
  let sum = 0;
  for (let k = 0; k < slices; k++) {
    ran.push(k);
    sum += k;
    yield;
  }
  return { sum };
}

describe('a sliced run', () => {
  it('runs a slice per turn of the event loop until done', async () => {
    const ran: number[] = [];
    const run = new SlicedRun(counting(ran, 5));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.length).toBeLessThan(5);
    expect(await run.done).toEqual({ sum: 10 });
    expect(ran).toEqual([0, 1, 2, 3, 4]);
  });

  it('is finished by now() midway, each slice once, and done gives the same result', async () => {
    const ran: number[] = [];
    const run = new SlicedRun(counting(ran, 50));
    await nextTurn();
    await nextTurn();
    const started = ran.length;
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThan(50);
    const value = run.now();
    expect(ran).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(await run.done).toBe(value);
    expect(run.now()).toBe(value);
    expect(ran.length).toBe(50);
  });

  it('gives a slice’s error to both callers, and no unhandled rejection', async () => {
    function* failing(): Generator<void, number> {
      yield;
      throw new Error('slice failed');
    }
    const run = new SlicedRun(failing());
    expect(run.failed).toBe(false);
    await expect(run.done).rejects.toThrow('slice failed');
    expect(() => run.now()).toThrow('slice failed');
    // Over, and failed: a caller may start again (suggest does).
    expect(run.failed).toBe(true);
  });
});
