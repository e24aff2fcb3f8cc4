import { describe, expect, it } from 'vitest';
import { runBounded } from '../src/monitor/bounded.ts';

/** A task that resolves with `value` on a later turn and records how many ran at once. */
function tracked(count: number) {
  let running = 0;
  let peak = 0;
  const tasks = Array.from({ length: count }, (_, i) => async () => {
    peak = Math.max(peak, ++running);
    await new Promise((resolve) => setTimeout(resolve, i % 3));
    running--;
    return i * 10;
  });
  return { tasks, peak: () => peak };
}

describe('runBounded', () => {
  it.each([
    { tasks: 0, concurrency: 4, peak: 0 },
    { tasks: 1, concurrency: 4, peak: 1 },
    { tasks: 50, concurrency: 1, peak: 1 },
    { tasks: 50, concurrency: 8, peak: 8 },
    { tasks: 5, concurrency: 64, peak: 5 },
  ])('runs $tasks tasks with at most $concurrency at once, results in order', async ({ tasks, concurrency, peak }) => {
    const run = tracked(tasks);
    const results = await runBounded(run.tasks, concurrency);
    expect(results).toEqual(Array.from({ length: tasks }, (_, i) => i * 10));
    expect(run.peak()).toBe(peak);
  });

  it('rejects with the first failure and starts no further task', async () => {
    let started = 0;
    const tasks = Array.from({ length: 20 }, (_, i) => async () => {
      started++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (i === 2) throw new Error('task 2 failed');
      return i;
    });
    await expect(runBounded(tasks, 2)).rejects.toThrow('task 2 failed');
    expect(started).toBeLessThan(20);
  });

  it.each([0, -1, Number.NaN])('refuses a concurrency of %s', async (concurrency) => {
    await expect(runBounded([async () => 1], concurrency)).rejects.toThrow(RangeError);
  });
});
