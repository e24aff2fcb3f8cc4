import { describe, expect, it } from 'vitest';
import type { AvailabilityReport, IncidentList, IncidentSummary, ServiceAvailability, WindowSummary } from '@hqwatch/shared';
import { SERVICE_KEYS } from '@hqwatch/shared';
import { availabilityRows, expectedBand, meanAvailability, windowBars } from '../src/history/chart-data.ts';
import { MIN, T0, iso } from './fixtures.ts';

function window(startMs: number, durationMs: number, extra: Partial<WindowSummary> = {}): WindowSummary {
  return {
    kind: 'failover',
    startedAt: iso(startMs),
    endedAt: iso(startMs + durationMs),
    durationMs,
    expectedMinMs: 5 * MIN,
    expectedMaxMs: 20 * MIN,
    overrun: durationMs > 20 * MIN,
    verdict: durationMs > 20 * MIN ? 'overrun' : 'expected',
    ...extra,
  };
}

function incident(id: string, windows: WindowSummary[]): IncidentSummary {
  return {
    id,
    startedAt: windows[0]!.startedAt,
    endedAt: null,
    durationMs: 0,
    noServiceMs: 0,
    windows,
    worstImpact: null,
    annotationCount: 0,
  };
}

describe('windowBars: one bar per window of recent incidents', () => {
  const list: IncidentList = {
    incidents: [
      incident('b', [
        window(T0 + 60 * MIN, 25 * MIN),
        window(T0 + 120 * MIN, 3 * MIN, { kind: 'failback', endedAt: null, verdict: 'open' }),
      ]),
      incident('a', [window(T0, 12 * MIN)]),
    ],
    total: 2,
    limit: 50,
    offset: 0,
    asOf: iso(T0 + 123 * MIN),
  };

  it('orders windows oldest first across incidents, marking overruns and the open one', () => {
    expect(windowBars(list).map((b) => [b.kind, b.durationMs / MIN, b.overrun, b.open])).toEqual([
      ['failover', 12, false, false],
      ['failover', 25, true, false],
      ['failback', 3, false, true],
    ]);
  });

  it('keeps only the most recent windows', () => {
    expect(windowBars(list, 2).map((b) => b.durationMs / MIN)).toEqual([25, 3]);
  });

  it('draws the band of the latest window, or 5–20 min without any', () => {
    expect(expectedBand(windowBars(list))).toEqual({ minMs: 5 * MIN, maxMs: 20 * MIN });
    expect(expectedBand([], { minMs: 1, maxMs: 2 })).toEqual({ minMs: 1, maxMs: 2 });
  });

  it('keeps outages apart: never an overrun (an old record saying so included), and no say in the band', () => {
    const withOutage: IncidentList = {
      ...list,
      incidents: [
        incident('c', [
          window(T0 + 200 * MIN, 45 * MIN, {
            kind: 'outage',
            overrun: true,
            verdict: 'overrun',
            expectedMinMs: 1 * MIN,
            expectedMaxMs: 2 * MIN,
          }),
        ]),
        ...list.incidents,
      ],
    };
    const bars = windowBars(withOutage);
    expect(bars.at(-1)).toMatchObject({ kind: 'outage', overrun: false });
    expect(expectedBand(bars)).toEqual({ minMs: 5 * MIN, maxMs: 20 * MIN });
  });
});

describe('availabilityRows: the least available sites', () => {
  const measured = (ok: number | null): ServiceAvailability => ({ ok, okMs: 0, downMs: 0, unknownMs: 0, naMs: 0 });
  function siteAvailability(siteId: string, voicemail: number | null, drs: number | null) {
    const services = Object.fromEntries(SERVICE_KEYS.map((key) => [key, measured(1)])) as Record<
      (typeof SERVICE_KEYS)[number],
      ServiceAvailability
    >;
    services.voicemail = measured(voicemail);
    services.drsIntersite = measured(drs);
    return { siteId, name: siteId.toUpperCase(), services };
  }
  const report: AvailabilityReport = {
    from: iso(T0),
    to: iso(T0 + 86_400_000),
    monitoredMs: 86_400_000,
    unmonitoredMs: 0,
    gaps: [],
    sites: [siteAvailability('a', 1, 1), siteAvailability('b', 0.9, 1), siteAvailability('c', 1, 0.95), siteAvailability('d', null, null)],
  };

  it('lists the worst first, in percent, leaving out sites never measured', () => {
    const rows = availabilityRows(report, ['voicemail', 'drsIntersite']);
    expect(rows.map((r) => [r.siteId, r.percent.voicemail, r.percent.drsIntersite])).toEqual([
      ['b', 90, 100],
      ['c', 100, 95],
      ['a', 100, 100],
    ]);
    expect(availabilityRows(report, ['voicemail'], 1).map((r) => r.siteId)).toEqual(['b']);
  });

  it('averages a service over the measured sites', () => {
    expect(meanAvailability(report, 'voicemail')).toBeCloseTo((100 + 90 + 100) / 3);
    expect(meanAvailability({ ...report, sites: [] }, 'voicemail')).toBeNull();
  });
});
