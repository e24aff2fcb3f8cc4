import { describe, expect, it } from 'vitest';
import type { HqWindow } from '@hqwatch/shared';
import { alertsBetween } from '../src/alerts/alerts.ts';
import { MIN, T0, hq, iso } from './fixtures.ts';

const window: HqWindow = {
  kind: 'failover',
  startedAt: iso(T0),
  elapsedMs: 0,
  expectedMinMs: 5 * MIN,
  expectedMaxMs: 20 * MIN,
  overrun: false,
};
const normal = hq();
const failing = hq({ state: 'failing-over', activeAddress: null, window });

describe('alertsBetween: what an on-call engineer is told', () => {
  it('raises nothing for the first snapshot', () => {
    expect(alertsBetween(null, failing)).toEqual([]);
  });

  it('tells when a window opens', () => {
    expect(alertsBetween(normal, failing)).toMatchObject([{ kind: 'window-opened', title: 'Failover started' }]);
  });

  it('tells when it closes, with how long it took', () => {
    const after = hq({ state: 'secondary-active', since: iso(T0 + 12 * MIN + 4000), activeAddress: '10.2.0.10' });
    expect(alertsBetween(failing, after)).toMatchObject([
      { kind: 'window-closed', title: 'Failover finished after 12:04', body: 'HQ is now: Secondary active.' },
    ]);
  });

  it('tells once when the window overruns', () => {
    const over = hq({ ...failing, window: { ...window, overrun: true } });
    expect(alertsBetween(failing, over)).toMatchObject([{ kind: 'overrun', title: 'Failover overrun' }]);
    expect(alertsBetween(over, over)).toEqual([]);
  });

  it('tells a window replaced by another (failover outage learning its direction) as closed then opened', () => {
    const outage = hq({ state: 'hq-down', window: { ...window, kind: 'outage' } });
    const kinds = alertsBetween(outage, failing).map((a) => a.kind);
    expect(kinds).toEqual(['window-closed', 'window-opened']);
  });

  it('raises nothing while the same window goes on', () => {
    expect(alertsBetween(failing, hq({ ...failing, window: { ...window, elapsedMs: 60_000 } }))).toEqual([]);
  });

  it('alarms on split brain', () => {
    expect(alertsBetween(normal, hq({ state: 'dual-active' }))).toMatchObject([{ kind: 'dual-active' }]);
  });
});
