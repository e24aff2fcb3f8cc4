import { describe, expect, it } from 'vitest';
import { formatAgo, formatClock, formatDateTime, formatLatency, plural } from '../src/ui/format.ts';
import { expectedRangeText } from '../src/state/elapsed.ts';

describe('formatters', () => {
  const t = '2026-11-25T07:04:09.500Z';

  it('shows clock times in UTC on request, and a placeholder for nothing', () => {
    expect(formatClock(t, true)).toBe('07:04:09');
    expect(formatClock(null, true)).toBe('--:--:--');
    expect(formatClock('not a time', false)).toBe('--:--:--');
    expect(formatDateTime(t, true)).toBe('2026-11-25 07:04');
  });

  it('shows clock times in the local zone otherwise', () => {
    const local = new Date(t);
    const hh = String(local.getHours()).padStart(2, '0');
    expect(formatClock(t, false).slice(0, 2)).toBe(hh);
  });

  it.each([
    [null, '—'],
    [0.42, '0.4 ms'],
    [12.6, '13 ms'],
    [1530, '1.5 s'],
  ])('latency %s → %s', (ms, text) => {
    expect(formatLatency(ms)).toBe(text);
  });

  it('counts with their noun', () => {
    expect(plural(1, 'site')).toBe('1 site');
    expect(plural(2, 'site')).toBe('2 sites');
    expect(plural(1200, 'user')).toBe('1,200 users');
  });

  it.each([
    [2_000, 'just now'],
    [42_000, '42 s ago'],
    [12 * 60_000, '12 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [2 * 86_400_000, '2 d ago'],
  ])('%i ms ago → %s', (ago, text) => {
    expect(formatAgo(1_000_000_000 - ago, 1_000_000_000)).toBe(text);
  });

  it('states the expected range in minutes, or seconds for short test ranges', () => {
    expect(expectedRangeText(5 * 60_000, 20 * 60_000)).toBe('5–20 min');
    expect(expectedRangeText(5_000, 20_000)).toBe('5–20 s');
  });
});
