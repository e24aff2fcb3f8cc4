import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler, type Round, type Scheduler } from '../src/monitor/scheduler.ts';
import { waitFor } from './probes-listeners.ts';

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** Whether a span is a whole number of intervals (to float precision). */
const onGrid = (span: number, intervalMs: number) => Math.abs(span / intervalMs - Math.round(span / intervalMs)) < 1e-9;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('round scheduler', () => {
  let scheduler: Scheduler | undefined;
  afterEach(() => scheduler?.stop());

  /** Starts a scheduler recording its rounds; `work` is what each round does. */
  function record(intervalMs: number, work: (round: Round) => Promise<void> = async () => {}) {
    const rounds: (Round & { endedAt: number })[] = [];
    let running = 0;
    let maxRunning = 0;
    scheduler = createScheduler({
      intervalMs,
      onRound: async (round) => {
        maxRunning = Math.max(maxRunning, ++running);
        try {
          await work(round);
        } finally {
          running--;
          rounds.push({ ...round, endedAt: performance.now() });
        }
      },
    });
    scheduler.start();
    return { rounds, maxRunning: () => maxRunning };
  }

  it('keeps rounds on a fixed grid, whatever each round takes', async () => {
    const { rounds } = record(50, () => pause(15));
    await waitFor(() => rounds.length >= 20, 10_000, '20 rounds');
    const first = rounds[0];
    for (const round of rounds) expect(onGrid(round.plannedAt - first.plannedAt, 50)).toBe(true);
    // Drifting by the 15 ms each round takes would put round 19 at least 285 ms behind.
    const last = rounds[19];
    expect(last.startedAt - first.startedAt).toBeLessThan(19 * 50 + 250);
    expect(rounds.map((round) => round.index)).toEqual(rounds.map((_, i) => i));
  });

  it('never overlaps rounds: a slow round delays the next one, which is not late', async () => {
    // Wide enough that a loaded CI machine's timer jitter stays under the late threshold (half an interval).
    const { rounds, maxRunning } = record(200, () => pause(550));
    await waitFor(() => rounds.length >= 5, 15_000, '5 rounds');
    expect(maxRunning()).toBe(1);
    for (let i = 1; i < rounds.length; i++) {
      expect(rounds[i].startedAt).toBeGreaterThanOrEqual(rounds[i - 1].endedAt);
      expect(rounds[i].late).toBe(false);
      // It stands for the latest slot it missed: the ones in between are skipped, not run in a burst.
      expect(rounds[i].plannedAt).toBeLessThanOrEqual(rounds[i].startedAt);
      expect(rounds[i].startedAt - rounds[i].plannedAt).toBeLessThan(200 + 100);
    }
  });

  it('flags a round late when the event loop stalled between rounds', async () => {
    const { rounds } = record(100, async (round) => {
      if (round.index === 2) setTimeout(() => block(400), 20);
    });
    await waitFor(() => rounds.length >= 6, 10_000, '6 rounds');
    expect(rounds.slice(0, 3).map((round) => round.late)).toEqual([false, false, false]);
    expect(rounds[3].late).toBe(true);
    expect(rounds[5].late).toBe(false);
  });

  it('flags the next round late when the loop stalled during a round', async () => {
    const { rounds } = record(100, async (round) => {
      if (round.index === 1) {
        await pause(10);
        block(400);
        await pause(10);
      }
    });
    await waitFor(() => rounds.length >= 4, 10_000, '4 rounds');
    expect(rounds.map((round) => round.late).slice(0, 4)).toEqual([false, false, true, false]);
  });

  it('stops: waits for the round in flight and starts no other', async () => {
    let finished = false;
    const { rounds } = record(30, async (round) => {
      if (round.index === 1) {
        await pause(80);
        finished = true;
      }
    });
    await waitFor(() => rounds.length >= 1, 5_000, 'the first round');
    await waitFor(() => performance.now() - rounds[0].startedAt > 40, 5_000);
    await scheduler?.stop();
    expect(finished).toBe(true);
    const count = rounds.length;
    await pause(120);
    expect(rounds.length).toBe(count);
  });

  it('changes cadence with setInterval', async () => {
    const { rounds } = record(200);
    await waitFor(() => rounds.length >= 1, 5_000, 'the first round');
    scheduler?.setInterval(40);
    await waitFor(() => rounds.length >= 6, 5_000, '6 rounds');
    const gaps = rounds.slice(2, 6).map((round, i) => round.plannedAt - rounds[i + 1].plannedAt);
    expect(gaps).toEqual([40, 40, 40, 40].map((gap) => expect.closeTo(gap, 6)));
  });

  it('carries on after a round that rejects', async () => {
    const errors: unknown[] = [];
    const seen: number[] = [];
    scheduler = createScheduler({
      intervalMs: 20,
      onRound: async (round) => {
        seen.push(round.index);
        if (round.index === 1) throw new Error('store unavailable');
      },
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    await waitFor(() => seen.length >= 3, 5_000, '3 rounds');
    expect(errors).toEqual([new Error('store unavailable')]);
  });

  it('reads time from the injected monotonic clock', async () => {
    let offset = 1_000_000;
    const rounds: Round[] = [];
    scheduler = createScheduler({
      intervalMs: 50,
      now: () => performance.now() + offset,
      onRound: async (round) => {
        rounds.push(round);
        // The clock jumps half a minute, as if the process had been frozen.
        if (round.index === 1) offset += 30_000;
      },
    });
    scheduler.start();
    await waitFor(() => rounds.length >= 4, 5_000, '4 rounds');
    expect(rounds[0].plannedAt).toBeGreaterThanOrEqual(1_000_000);
    expect(rounds[2].late).toBe(true);
    // Past the jump, the round stands for the latest slot of the same grid.
    expect(rounds[2].plannedAt - rounds[1].plannedAt).toBeGreaterThan(29_900);
    expect(onGrid(rounds[2].plannedAt - rounds[0].plannedAt, 50)).toBe(true);
  });

  it('leaves no timer behind once stopped', async () => {
    const before = process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
    const { rounds } = record(20);
    await waitFor(() => rounds.length >= 3, 5_000, '3 rounds');
    await scheduler?.stop();
    expect(process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length).toBeLessThanOrEqual(before);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses an interval of %s ms', (intervalMs) => {
    expect(() => createScheduler({ intervalMs, onRound: async () => {} })).toThrow(RangeError);
  });
});
