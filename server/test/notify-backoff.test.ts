/**
 * When a failed alert delivery is tried again: the delay doubles from the first retry up to the
 * maximum, each drawn between half and all of it (so deliveries that failed together spread out),
 * and a receiver's `Retry-After` (seconds or an HTTP date) is read, refused when unreadable and
 * capped at an hour.
 */
import { describe, expect, it } from 'vitest';
import { retryAfterMs, retryDelayMs } from '../src/notify/backoff.ts';

const OPTS = { firstMs: 1_000, maxMs: 300_000 };
const HOUR = 3_600_000;

describe('retryDelayMs', () => {
  it('doubles after each failure, from the first retry', () => {
    // random() = 1: the whole delay, no jitter taken off.
    const all = (attempt: number) => retryDelayMs(attempt, OPTS, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(all)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000]);
  });

  it('is never above the maximum, however many attempts failed', () => {
    const all = (attempt: number) => retryDelayMs(attempt, OPTS, () => 1);
    expect(all(9)).toBe(256_000);
    expect(all(10)).toBe(300_000);
    expect(all(11)).toBe(300_000);
    expect(all(60)).toBe(300_000);
    expect(all(5_000)).toBe(300_000);
  });

  it('takes the first retry for attempt 0 or less (nothing failed yet)', () => {
    expect(retryDelayMs(0, OPTS, () => 1)).toBe(1_000);
    expect(retryDelayMs(-3, OPTS, () => 1)).toBe(1_000);
  });

  it('draws between half and all of the delay ("equal jitter")', () => {
    expect(retryDelayMs(3, OPTS, () => 0)).toBe(2_000);
    expect(retryDelayMs(3, OPTS, () => 0.5)).toBe(3_000);
    expect(retryDelayMs(3, OPTS, () => 0.999_999)).toBe(4_000);
    expect(retryDelayMs(20, OPTS, () => 0)).toBe(150_000);
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const base = Math.min(OPTS.maxMs, OPTS.firstMs * 2 ** (attempt - 1));
      for (let i = 0; i < 200; i += 1) {
        const delay = retryDelayMs(attempt, OPTS);
        expect(delay).toBeGreaterThanOrEqual(base / 2);
        expect(delay).toBeLessThanOrEqual(base);
      }
    }
  });

  it('spreads deliveries that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(8, OPTS)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('retryAfterMs', () => {
  const NOW = Date.parse('2026-11-28T09:00:00.000Z');

  it('reads seconds', () => {
    expect(retryAfterMs('120', NOW)).toBe(120_000);
    expect(retryAfterMs(' 7 ', NOW)).toBe(7_000);
    expect(retryAfterMs('0', NOW)).toBe(0);
    expect(retryAfterMs('1.5', NOW)).toBe(1_500);
  });

  it('reads an HTTP date, from now', () => {
    expect(retryAfterMs('Sat, 28 Nov 2026 09:02:30 GMT', NOW)).toBe(150_000);
    // The obsolete RFC 850 form, which RFC 9110 still asks recipients to read.
    expect(retryAfterMs('Saturday, 28-Nov-26 09:01:00 GMT', NOW)).toBe(60_000);
    // A date already past: try now, not in a negative time.
    expect(retryAfterMs('Sat, 28 Nov 2026 08:59:00 GMT', NOW)).toBe(0);
  });

  it('is null when absent or unreadable', () => {
    expect(retryAfterMs(null, NOW)).toBeNull();
    expect(retryAfterMs('', NOW)).toBeNull();
    expect(retryAfterMs('   ', NOW)).toBeNull();
    expect(retryAfterMs('soon', NOW)).toBeNull();
    // Date.parse alone would take these ("-5" is a day in 2001).
    expect(retryAfterMs('-5', NOW)).toBeNull();
    expect(retryAfterMs('2026-11-28T09:05:00Z', NOW)).toBeNull();
    expect(retryAfterMs('Blursday, 99 Nov 2026 25:61:00 GMT', NOW)).toBeNull();
  });

  it('is capped at an hour: a receiver cannot park a delivery forever', () => {
    expect(retryAfterMs('3600', NOW)).toBe(HOUR);
    expect(retryAfterMs('3601', NOW)).toBe(HOUR);
    expect(retryAfterMs('86400', NOW)).toBe(HOUR);
    expect(retryAfterMs('Mon, 30 Nov 2026 09:00:00 GMT', NOW)).toBe(HOUR);
  });
});
