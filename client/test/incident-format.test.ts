import { describe, expect, it } from 'vitest';
import { expectedRange, formatDurationMs, formatInstant, fromDateInput, toDateInput } from '../src/incidents/format.ts';

describe('incident durations read as m:ss below an hour and h:mm:ss above', () => {
  it.each([
    [0, '0:00'],
    [999, '0:01'],
    [6_999, '0:07'],
    [59_400, '0:59'],
    [60_000, '1:00'],
    [7 * 60_000 + 5_000, '7:05'],
    [20 * 60_000, '20:00'],
    [59 * 60_000 + 59_000, '59:59'],
    [3_600_000, '1:00:00'],
    [4 * 3_600_000 + 2 * 60_000 + 3_000, '4:02:03'],
    [-5, '0:00'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });

  it('unknown durations show a dash', () => {
    expect(formatDurationMs(null)).toBe('—');
    expect(formatDurationMs(Number.NaN)).toBe('—');
  });

  it('the expected range uses the same notation', () => {
    expect(expectedRange({ expectedMinMs: 5 * 60_000, expectedMaxMs: 20 * 60_000 })).toBe('5:00–20:00');
  });
});

describe('instants', () => {
  it('show date and seconds in UTC, or in local time', () => {
    expect(formatInstant('2026-11-25T10:04:05.600Z', true)).toBe('2026-11-25 10:04:05');
    const local = new Date(2026, 10, 25, 8, 9, 10).getTime();
    expect(formatInstant(local, false)).toBe('2026-11-25 08:09:10');
    expect(formatInstant('not a time', true)).toBe('—');
    expect(formatInstant(null, false)).toBe('—');
  });

  it('date inputs round-trip in the zone the viewer chose', () => {
    const ms = Date.parse('2026-11-25T10:04:00.000Z');
    expect(toDateInput(ms, true)).toBe('2026-11-25T10:04');
    expect(fromDateInput('2026-11-25T10:04', true)).toBe(ms);
    expect(fromDateInput(toDateInput(ms, false), false)).toBe(ms);
    expect(fromDateInput('25/11/2026', true)).toBeNull();
  });
});
