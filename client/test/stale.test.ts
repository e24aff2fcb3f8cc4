import { describe, expect, it } from 'vitest';
import { STALE_AFTER_INTERVALS, staleSince } from '../src/state/stale.ts';

describe('staleSince: when the screen can no longer be trusted', () => {
  const last = 1_000_000;
  const intervalMs = 2000;

  it.each([
    ['connected, update just in', true, last + 10, null],
    ['connected, exactly 3 intervals quiet', true, last + 3 * intervalMs, null],
    ['connected, quiet past 3 intervals', true, last + 3 * intervalMs + 1, last],
    ['socket down, even a moment later', false, last + 10, last],
  ])('%s', (_, connected, now, expected) => {
    expect(staleSince({ connected, lastUpdateAt: last, intervalMs }, now)).toBe(expected);
  });

  it('is never stale before the first update: there is nothing on screen yet', () => {
    expect(staleSince({ connected: false, lastUpdateAt: null, intervalMs }, last)).toBeNull();
  });

  it('waits 3 intervals, whatever the interval', () => {
    expect(STALE_AFTER_INTERVALS).toBe(3);
    expect(staleSince({ connected: true, lastUpdateAt: 0, intervalMs: 500 }, 1501)).toBe(0);
    expect(staleSince({ connected: true, lastUpdateAt: 0, intervalMs: 10_000 }, 29_000)).toBeNull();
  });
});
