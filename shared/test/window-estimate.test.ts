import { describe, expect, it } from 'vitest';
import { estimateFor, estimateText, estimateWindow, formatRange, MIN_WINDOWS_FOR_ESTIMATE, vendorRangeNote } from '@hqwatch/shared';

const MIN = 60_000;
const VENDOR = { minMs: 5 * MIN, maxMs: 20 * MIN };

describe('estimateWindow', () => {
  it.each([0, 1, 2])('falls back to the vendor range with %d past windows', (count) => {
    const past = Array.from({ length: count }, () => 7 * MIN);
    expect(estimateWindow(past, VENDOR)).toEqual({ basis: 'vendor', lowMs: 5 * MIN, highMs: 20 * MIN, medianMs: null, count });
  });

  it(`needs ${MIN_WINDOWS_FOR_ESTIMATE} windows of this installation`, () => {
    expect(MIN_WINDOWS_FOR_ESTIMATE).toBe(3);
    expect(estimateWindow([6 * MIN, 7 * MIN, 8 * MIN], VENDOR)).toMatchObject({ basis: 'history', count: 3, medianMs: 7 * MIN });
  });

  it('gives the interquartile range widened to whole minutes, and the median', () => {
    // Twelve past failovers between 5.5 and 14 minutes; the middle half lies within 6.4–8.7 min.
    const past = [5.5, 6.2, 6.4, 6.5, 7, 7.2, 7.5, 8, 8.5, 9, 11, 14].map((m) => m * MIN);
    const estimate = estimateWindow(past, VENDOR);
    expect(estimate).toEqual({ basis: 'history', lowMs: 6 * MIN, highMs: 9 * MIN, medianMs: 7.35 * MIN, count: 12 });
    expect(estimateText(estimate, 'failover')).toBe('usually done in ~6–9 min, based on 12 past failovers');
  });

  it('ignores the order of the past windows and any that are not durations', () => {
    const past = [9 * MIN, Number.NaN, 6 * MIN, -1, 7 * MIN, 8 * MIN];
    expect(estimateWindow(past, VENDOR)).toEqual(estimateWindow([6 * MIN, 7 * MIN, 8 * MIN, 9 * MIN], VENDOR));
  });

  it('rounds short windows to the second (the demo lab plays minutes as seconds)', () => {
    const estimate = estimateWindow([11_200, 12_100, 12_400, 13_900], VENDOR);
    expect(estimate).toMatchObject({ lowMs: 11_000, highMs: 13_000 });
    expect(estimateText(estimate, 'failback')).toBe('usually done in ~11–13 s, based on 4 past failbacks');
  });

  it('says a single figure when the middle half rounds to one value', () => {
    const estimate = estimateWindow([7 * MIN, 7 * MIN, 7 * MIN], VENDOR);
    expect(estimateText(estimate, 'failover')).toBe('usually done in ~7 min, based on 3 past failovers');
  });

  it('rounds windows of hours to five minutes', () => {
    expect(
      estimateWindow(
        [62, 70, 80, 95].map((m) => m * MIN),
        VENDOR,
      ),
    ).toMatchObject({ lowMs: 65 * MIN, highMs: 85 * MIN });
  });
});

describe('estimateFor', () => {
  const history = { failover: [6 * MIN, 7 * MIN, 8 * MIN], failback: [4 * MIN] };

  it('uses past windows of the same kind only', () => {
    expect(estimateFor('failover', history, VENDOR)).toMatchObject({ basis: 'history', count: 3 });
    expect(estimateFor('failback', history, VENDOR)).toMatchObject({ basis: 'vendor', count: 1 });
  });

  it('gives none for an outage, which has no expected length', () => {
    expect(estimateFor('outage', history, VENDOR)).toBeUndefined();
  });
});

describe('the words', () => {
  it('keeps the vendor wording when there is not enough history, and says why beside it', () => {
    const vendor = estimateWindow([8 * MIN], VENDOR);
    expect(estimateText(vendor, 'failover')).toBe('typically 5–20 min');
    expect(vendorRangeNote(vendor, 'failover')).toBe("the vendor's range: only 1 past failover recorded here (an estimate needs 3)");
    expect(vendorRangeNote(estimateWindow([], VENDOR), 'failback')).toBe(
      "the vendor's range: no past failback recorded here (an estimate needs 3)",
    );
    expect(
      vendorRangeNote(
        estimateWindow(
          [1, 2, 3].map((m) => m * MIN),
          VENDOR,
        ),
        'failover',
      ),
    ).toBeNull();
  });

  it.each([
    [5 * MIN, 20 * MIN, '5–20 min'],
    [5_000, 20_000, '5–20 s'],
    [6 * MIN, 6 * MIN, '6 min'],
    [90 * MIN, 120 * MIN, '90–120 min'],
  ])('formatRange(%d, %d) is %s', (low, high, text) => {
    expect(formatRange(low, high)).toBe(text);
  });
});
