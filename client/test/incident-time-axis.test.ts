import { describe, expect, it } from 'vitest';
import { timeTicks } from '../src/incidents/time-axis.ts';
import { isWholeView, MIN_VIEW_MS, panView, selectView, zoomView } from '../src/incidents/zoom.ts';

const T = Date.parse('2026-11-25T10:00:00.000Z');
const MIN = 60_000;

describe('timeTicks', () => {
  it('falls on round clock times', () => {
    expect(timeTicks(T + 1200, T + 21_000, 5).map((t) => t - T)).toEqual([5000, 10000, 15000, 20000]);
    expect(timeTicks(T - 7 * MIN, T + 4 * 60 * MIN, 8).map((t) => (t - T) / MIN)).toEqual([0, 60, 120, 180, 240]);
  });

  it('aligns to the local zone', () => {
    const ticks = timeTicks(T, T + 10 * 3_600_000, 5, 30 * MIN);
    const step = ticks[1]! - ticks[0]!;
    expect(step % 3_600_000).toBe(0);
    expect(ticks.every((t) => (t + 30 * MIN) % step === 0)).toBe(true);
  });

  it('never gives more ticks than asked, nor any for an empty range', () => {
    for (const length of [3000, 70_000, 50 * MIN, 13 * 3_600_000, 40 * 86_400_000])
      expect(timeTicks(T, T + length, 7).length).toBeLessThanOrEqual(7);
    expect(timeTicks(T, T, 5)).toEqual([]);
  });
});

describe('zoom', () => {
  const span = { startMs: 0, endMs: 100_000 };

  it('zooms around a moment that stays in place', () => {
    expect(zoomView(span, 0.5, 40_000, span)).toEqual({ startMs: 20_000, endMs: 70_000 });
    expect(zoomView({ startMs: 20_000, endMs: 70_000 }, 2, 40_000, span)).toEqual(span);
  });

  it('never zooms past the incident or below the narrowest view', () => {
    expect(zoomView(span, 4, 90_000, span)).toEqual(span);
    const narrow = zoomView(span, 0.000001, 50_000, span);
    expect(narrow.endMs - narrow.startMs).toBe(MIN_VIEW_MS);
  });

  it('selects a dragged range in either direction and pans within the incident', () => {
    expect(selectView(60_000, 30_000, span)).toEqual({ startMs: 30_000, endMs: 60_000 });
    expect(panView({ startMs: 80_000, endMs: 90_000 }, 50_000, span)).toEqual({ startMs: 90_000, endMs: 100_000 });
    expect(isWholeView(span, span)).toBe(true);
    expect(isWholeView({ startMs: 1, endMs: 100_000 }, span)).toBe(false);
  });
});
