import { describe, expect, it } from 'vitest';
import { computeImpact, diffState } from '@hqwatch/shared';
import type { HqView, LiveState, NodeHealth } from '@hqwatch/shared';
import { company, hqIn, nodesWith } from './impact-fixtures.ts';

/** A LiveState carrying the impact of one round, as the live-state builder assembles it. */
function liveState(seq: number, at: string, hq: HqView, nodes: Record<string, NodeHealth>): LiveState {
  const impact = computeImpact({ config: company, hq, nodes });
  return {
    contractVersion: 2,
    seq,
    at,
    hq,
    nodes: [],
    sites: impact.sites,
    incident: null,
    monitor: { healthy: true, intervalMs: 2_000 },
    impact: impact.summary,
  };
}

describe('impact in state deltas', () => {
  it('two rounds of the same failover window, minutes apart and past the overrun, send no site', () => {
    const first = liveState(1, '2025-03-01T10:01:00.000Z', hqIn('failing-over', 60_000), nodesWith());
    const later = liveState(2, '2025-03-01T10:25:00.000Z', hqIn('failing-over', 1_500_000), nodesWith());
    const delta = diffState(first, later);
    expect(delta.sites).toBeUndefined();
    expect(delta.impact).toBeUndefined();
    // The window itself did change, so the round is not a bare heartbeat.
    expect(delta.hq?.window?.overrun).toBe(true);
  });

  it('a DVS going down sends only the sites that depend on it', () => {
    const before = liveState(1, '2025-03-01T10:01:00.000Z', hqIn('primary-active'), nodesWith());
    const after = liveState(2, '2025-03-01T10:01:02.000Z', hqIn('primary-active'), nodesWith({ 'dvs-boston': 'down' }));
    const delta = diffState(before, after);
    // Boston is homed on it; Seattle reaches DRS through it but still has Denver DVS, so its reason changes.
    expect(delta.sites?.map((s) => s.id)).toEqual(['boston', 'seattle']);
    expect(delta.impact?.telephony).toEqual({ sites: 1, users: 120 });
  });

  it('recomputing with nothing changed sends no site and no summary', () => {
    const a = liveState(1, '2025-03-01T10:01:00.000Z', hqIn('secondary-active'), nodesWith({ 'dvs-denver': 'flapping' }));
    const b = liveState(2, '2025-03-01T10:01:02.000Z', hqIn('secondary-active'), nodesWith({ 'dvs-denver': 'flapping' }));
    expect(diffState(a, b)).toEqual({ seq: 2, at: '2025-03-01T10:01:02.000Z' });
  });
});
