import { describe, expect, it } from 'vitest';
import { formatElapsed, parseDuration } from '@hqwatch/shared';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['90d', 7_776_000_000],
  ])('reads %s as %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '2', 's', '2 sec', '-1s', '2x', '1e3s'])('refuses %j', (text) => expect(parseDuration(text)).toBeNull());
});

describe('formatElapsed', () => {
  it.each([
    [0, '0:00'],
    [432_000, '7:12'],
    [3_600_000 + 65_000, '1:01:05'],
  ])('shows %d ms as %s', (ms, text) => expect(formatElapsed(ms)).toBe(text));
});
