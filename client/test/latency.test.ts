import { describe, expect, it } from 'vitest';
import { LatencyHistory, probeKey } from '../src/state/latency.ts';
import { sparklinePath } from '../src/live/servers/sparkline.ts';
import { node } from './fixtures.ts';

describe('LatencyHistory', () => {
  const probe = { kind: 'tcp' as const, target: '10.1.0.10:4308' };
  const key = probeKey('primary', probe);

  it('keeps the last samples of each probe, newest last, and null for a failed probe', () => {
    const history = new LatencyHistory(3);
    for (const [ok, latencyMs] of [
      [true, 1],
      [true, 2],
      [false, null],
      [true, 4],
    ] as const) {
      history.record([node('primary', { probes: [{ ...probe, ok, latencyMs }] })]);
    }
    expect(history.get(key)).toEqual([2, null, 4]);
  });

  it('forgets probes that are gone', () => {
    const history = new LatencyHistory();
    history.record([node('primary', { probes: [{ ...probe, ok: true, latencyMs: 1 }] })]);
    history.record([node('secondary')]);
    expect(history.get(key)).toEqual([]);
  });
});

describe('sparklinePath', () => {
  it('draws nothing without samples', () => {
    expect(sparklinePath([], 100, 20, 10)).toBe('');
  });

  it('right-aligns samples and scales the highest to the top', () => {
    expect(sparklinePath([5, 10], 90, 20, 10)).toBe('M80.0 10.0L90.0 1.0');
  });

  it('breaks the line where a probe failed', () => {
    const path = sparklinePath([1, null, 1], 20, 10, 3);
    expect(path.match(/M/g)).toHaveLength(2);
  });
});
