import { describe, expect, it, vi } from 'vitest';
import { judgeWithin, type Attempt } from '../src/probes/deadline.ts';

/** Blocks the event loop, as a long synchronous task or GC pause would. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('probe deadline', () => {
  it('measures the latency of an answer within the deadline', async () => {
    const judged = await judgeWithin(1_000, (settle) => {
      const timer = setTimeout(() => settle({ ok: true }), 30);
      return () => clearTimeout(timer);
    });
    expect(judged.ok).toBe(true);
    expect(judged.stalled).toBeUndefined();
    expect(judged.latencyMs).toBeGreaterThanOrEqual(25);
    expect(judged.latencyMs).toBeLessThan(1_000);
  });

  it('keeps a failure as is, without latency', async () => {
    const judged = await judgeWithin(1_000, (settle) => {
      setImmediate(() => settle({ ok: false, error: 'connection refused' }));
      return () => {};
    });
    expect(judged).toEqual({ ok: false, latencyMs: null, error: 'connection refused' });
  });

  it('times out a silent attempt and releases it exactly once', async () => {
    const release = vi.fn();
    const started = performance.now();
    const judged = await judgeWithin(150, () => release);
    expect(judged).toEqual({ ok: false, latencyMs: null, error: 'timeout after 150 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('counts only the first verdict', async () => {
    const judged = await judgeWithin(1_000, (settle) => {
      settle({ ok: false, error: 'first' });
      settle({ ok: true });
      return () => {};
    });
    expect(judged.error).toBe('first');
  });

  it('turns an attempt that throws into a failure', async () => {
    const attempt: Attempt = () => {
      throw new Error('bad options');
    };
    expect(await judgeWithin(1_000, attempt)).toEqual({ ok: false, latencyMs: null, error: 'probe error: bad options' });
  });

  it('passes an answer that was waiting when a stall outlasted the deadline, without its latency', async () => {
    const judged = await judgeWithin(200, (settle) => {
      const timer = setTimeout(() => {
        block(700);
        setImmediate(() => settle({ ok: true }));
      }, 10);
      return () => clearTimeout(timer);
    });
    expect(judged).toEqual({ ok: true, latencyMs: null, stalled: true });
  });

  it('gives a fresh window when the deadline fires late, so an answer after the stall still passes', async () => {
    // The deadline timer is due long before the answer's timer: without the fresh window it would time out.
    const judged = await judgeWithin(200, (settle) => {
      let answer: ReturnType<typeof setTimeout> | undefined;
      const stall = setTimeout(() => {
        block(700);
        answer = setTimeout(() => settle({ ok: true }), 50);
      }, 10);
      return () => {
        clearTimeout(stall);
        clearTimeout(answer);
      };
    });
    expect(judged).toEqual({ ok: true, latencyMs: null, stalled: true });
  });

  it('reports a real timeout when the target stays silent through the fresh window', async () => {
    const judged = await judgeWithin(200, () => {
      const stall = setTimeout(() => block(700), 10);
      return () => clearTimeout(stall);
    });
    expect(judged).toEqual({ ok: false, latencyMs: null, error: 'timeout after 200 ms' });
  });

  it('gives no verdict when the fresh window is stalled too', async () => {
    const judged = await judgeWithin(200, () => {
      const first = setTimeout(() => block(700), 10);
      const second = setTimeout(() => block(700), 740);
      return () => {
        clearTimeout(first);
        clearTimeout(second);
      };
    });
    expect(judged).toMatchObject({
      ok: false,
      latencyMs: null,
      stalled: true,
      error: expect.stringMatching(/^no verdict: the event loop stalled/),
    });
  });
});
