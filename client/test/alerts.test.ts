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

  // Changed deliberately: a kind change within one window (same start) used to read as a window
  // closed then another opened; it is the same failover whose target died, then came back.
  it('tells the same window turning an outage when its target dies, and resuming when it returns, without closing it', () => {
    const outage = hq({ state: 'hq-down', cause: 'target-down', window: { ...window, kind: 'outage' } });
    expect(alertsBetween(failing, outage)).toMatchObject([
      {
        kind: 'window-changed',
        title: 'Failover cannot complete: HQ down, the server HQ would move to does not answer',
        tag: `window-${window.startedAt}`,
      },
    ]);
    expect(alertsBetween(outage, failing)).toMatchObject([
      { kind: 'window-changed', title: 'Failover resumed: the secondary answers again' },
    ]);
  });

  it('tells a failover that ends back on the primary as an outage that is over, not a failover finished', () => {
    const back = hq({ state: 'primary-active', since: iso(T0 + 3 * MIN) });
    expect(alertsBetween(failing, back)).toMatchObject([
      { kind: 'window-closed', title: 'HQ outage over after 03:00: the primary serves again, no failover happened' },
    ]);
  });

  it('names the cause when HQ goes down', () => {
    const down = hq({ state: 'hq-down', cause: 'both-down', window: { ...window, kind: 'outage' }, activeAddress: null });
    expect(alertsBetween(normal, down)).toMatchObject([{ kind: 'window-opened', title: 'HQ down: neither HQ server answers' }]);
  });

  it('warns of the standby lost while a server is HQ, once, and not when a failover completes', () => {
    const lost = hq({ standby: 'not-ready' });
    expect(alertsBetween(normal, lost)).toEqual([
      {
        kind: 'standby-lost',
        title: 'Standby not ready: the secondary HQ server does not answer',
        body: 'No service is lost, but a failover could not complete now.',
        tag: 'standby',
      },
    ]);
    expect(alertsBetween(lost, lost)).toEqual([]);
    const done = hq({ state: 'secondary-active', activeAddress: '10.2.0.10', standbyId: 'primary', standby: 'not-ready' });
    expect(alertsBetween(failing, done).map((a) => a.kind)).toEqual(['window-closed']);
  });

  it('raises nothing while the same window goes on', () => {
    expect(alertsBetween(failing, hq({ ...failing, window: { ...window, elapsedMs: 60_000 } }))).toEqual([]);
  });

  it('alarms on split brain', () => {
    expect(alertsBetween(normal, hq({ state: 'dual-active' }))).toMatchObject([{ kind: 'dual-active' }]);
  });
});
