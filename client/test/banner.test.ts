import { describe, expect, it } from 'vitest';
import { clockText } from '@hqwatch/shared';
import { bannerFor } from '../src/state/banner.ts';
import { hqDownCauseText } from '../src/ui/status.ts';
import type { HqDownCause, NodeStatus } from '@hqwatch/shared';
import { MIN, T0, failingOver, hq, iso, liveState, node } from './fixtures.ts';

describe('bannerFor: the banner of each HQ state', () => {
  it('says nothing while the primary is active', () => {
    expect(bannerFor(liveState(), T0)).toBeNull();
  });

  it('announces a failover with its elapsed time and the expected range', () => {
    const banner = bannerFor(failingOver(T0), T0 + 7 * MIN + 12_000)!;
    expect(banner.sentence).toBe('Failover in progress — 07:12 elapsed — typically 5–20 min');
    expect(banner).toMatchObject({ kind: 'failover', tone: 'alarm', elapsed: '07:12', expected: 'typically 5–20 min' });
  });

  it('ticks: a second later the elapsed time has moved by a second', () => {
    const state = failingOver(T0);
    expect(bannerFor(state, T0 + 61_000)!.elapsed).toBe('01:01');
    expect(bannerFor(state, T0 + 62_000)!.elapsed).toBe('01:02');
  });

  it('counts from the server clock when the client clock is off', () => {
    // The client is 30 s behind the server: offset = server − client = +30 s.
    expect(bannerFor(failingOver(T0), T0 + 60_000, 30_000)!.elapsed).toBe('01:30');
  });

  it('becomes an overrun alarm the moment the maximum is passed, before the server says so', () => {
    const state = failingOver(T0);
    expect(bannerFor(state, T0 + 20 * MIN)!.kind).toBe('failover');
    const over = bannerFor(state, T0 + 20 * MIN + 1000)!;
    expect(over.kind).toBe('overrun');
    expect(over.sentence).toBe('Failover overrun — 20:01 elapsed — longer than the usual 5–20 min');
    expect(over.detail).toContain('escalate');
  });

  it('lists what is lost, with users when they are known', () => {
    const banner = bannerFor(failingOver(T0), T0)!;
    expect(banner.losses).toEqual([
      { what: 'Call Manager telephony & video', sites: 1, users: 400 },
      { what: 'Voicemail', sites: 2, users: 520 },
    ]);
    expect(banner.globalLoss).toBe('Config changes, account codes and workgroups unavailable everywhere');
  });

  it('names a failback as such', () => {
    const state = failingOver(T0);
    state.hq = { ...state.hq, state: 'failing-back', window: { ...state.hq.window!, kind: 'failback' } };
    expect(bannerFor(state, T0 + 5000)!.sentence).toBe('Failback in progress — 00:05 elapsed — typically 5–20 min');
  });

  it('tells Call Manager users the secondary IP while the secondary is active', () => {
    const banner = bannerFor(liveState({ hq: hq({ state: 'secondary-active', activeAddress: '10.2.0.10' }) }), T0)!;
    expect(banner).toMatchObject({ kind: 'secondary-active', tone: 'warning', callManagerAddress: '10.2.0.10' });
    expect(banner.detail).toMatch(/Call Manager/);
  });

  it('falls back to the secondary node address when no active address is given', () => {
    const state = liveState({ hq: hq({ state: 'secondary-active', activeAddress: null }), nodes: [node('secondary')] });
    expect(bannerFor(state, T0)!.callManagerAddress).toBe('10.2.0.10');
  });

  it.each([
    ['dual-active', 'dual-active', 'alarm', /both HQ servers/],
    ['hq-down', 'outage', 'alarm', /^HQ down: /],
    ['monitor-blind', 'monitor-blind', 'notice', /cannot see/],
  ] as const)('has a banner of its own for %s', (state, kind, tone, headline) => {
    const banner = bannerFor(liveState({ hq: hq({ state, activeAddress: null }) }), T0)!;
    expect(banner.kind).toBe(kind);
    expect(banner.tone).toBe(tone);
    expect(banner.headline).toMatch(headline);
  });

  // Changed deliberately: an outage has no expected length, so "typically 5–20 min" (the vendor's
  // range for failovers and failbacks) is gone, and the headline says why HQ is down.
  it('shows the hq-down window clock, with no expected length, and why HQ is down', () => {
    const state = liveState({
      hq: hq({
        state: 'hq-down',
        activeAddress: null,
        cause: 'target-down',
        standbyId: 'secondary',
        standby: 'not-ready',
        window: { kind: 'outage', startedAt: iso(T0), elapsedMs: 0, expectedMinMs: 5 * MIN, expectedMaxMs: 20 * MIN, overrun: false },
      }),
      nodes: [node('primary', { status: 'reachable' }), node('secondary', { status: 'down' })],
    });
    const banner = bannerFor(state, T0 + 90_000)!;
    expect(banner.sentence).toBe('HQ down: primary stopped, secondary unreachable — no failover possible — 01:30 elapsed');
    expect(banner).toMatchObject({ kind: 'outage', expected: null, callManagerAddress: null, callManagerAfter: null });
    expect(banner.detail).toMatch(/secondary server must answer again/);
  });

  it('gives the monitor reason when blind', () => {
    const state = liveState({
      hq: hq({ state: 'monitor-blind' }),
      monitor: { healthy: false, reason: 'witness 10.0.0.1:53 unreachable', intervalMs: 2000 },
    });
    expect(bannerFor(state, T0)!.detail).toBe('witness 10.0.0.1:53 unreachable');
  });
});

describe('clockText', () => {
  it.each([
    [0, '00:00'],
    [7 * MIN + 12_000, '07:12'],
    [19 * MIN + 59_999, '19:59'],
    [75 * MIN, '1:15:00'],
  ])('%i ms → %s', (ms, text) => {
    expect(clockText(ms)).toBe(text);
  });
});

describe('bannerFor: the worst cases', () => {
  const outage = {
    kind: 'outage' as const,
    startedAt: iso(T0),
    elapsedMs: 0,
    expectedMinMs: 5 * MIN,
    expectedMaxMs: 20 * MIN,
    overrun: false,
  };
  const down = (cause: HqDownCause, standbyId: 'primary' | 'secondary' | null, primary: NodeStatus, secondary: NodeStatus) =>
    bannerFor(
      liveState({
        hq: hq({ state: 'hq-down', activeAddress: null, cause, standbyId, standby: 'not-ready', window: outage }),
        nodes: [node('primary', { status: primary }), node('secondary', { status: secondary })],
      }),
      T0,
    )!.headline;

  it.each([
    ['target-down', 'secondary', 'reachable', 'down', 'HQ down: primary stopped, secondary unreachable — no failover possible'],
    ['target-down', 'primary', 'down', 'reachable', 'HQ down: primary unreachable, secondary stopped — no failback possible'],
    ['both-down', 'secondary', 'down', 'down', 'HQ down: primary unreachable, secondary unreachable — no failover possible'],
    ['both-down', null, 'down', 'down', 'HQ down: primary unreachable, secondary unreachable — no HQ server answers'],
    [
      'direction-unknown',
      null,
      'reachable',
      'reachable',
      'HQ down: primary stopped, secondary stopped — no failover or failback under way',
    ],
    [
      'target-unknown',
      'secondary',
      'reachable',
      'unknown',
      'HQ down: primary stopped, secondary not assessed yet — whether a failover can complete is not known yet',
    ],
  ] as const)('%s (standby %s, primary %s, secondary %s): "%s"', (cause, standbyId, primary, secondary, headline) => {
    expect(down(cause, standbyId, primary, secondary)).toBe(headline);
  });

  it('tells how long a failover usually takes here, from past failovers', () => {
    const state = failingOver(T0);
    state.hq = {
      ...state.hq,
      window: { ...state.hq.window!, estimate: { basis: 'history', lowMs: 6 * MIN, highMs: 9 * MIN, medianMs: 7 * MIN, count: 12 } },
    };
    const banner = bannerFor(state, T0 + 2 * MIN)!;
    expect(banner.sentence).toBe('Failover in progress — 02:00 elapsed — usually done in ~6–9 min, based on 12 past failovers');
    expect(banner.expectedNote).toBeNull();
  });

  it("keeps the vendor's range when there is too little history, and says so beside it", () => {
    const state = failingOver(T0);
    state.hq = {
      ...state.hq,
      window: { ...state.hq.window!, estimate: { basis: 'vendor', lowMs: 5 * MIN, highMs: 20 * MIN, medianMs: null, count: 2 } },
    };
    const banner = bannerFor(state, T0 + 2 * MIN)!;
    expect(banner.expected).toBe('typically 5–20 min');
    expect(banner.expectedNote).toBe("the vendor's range: only 2 past failovers recorded here (an estimate needs 3)");
  });

  it('gives no address to type during a failover, and the one after it completes marked as such', () => {
    const banner = bannerFor(failingOver(T0), T0 + MIN)!;
    expect(banner.callManagerAddress).toBeNull();
    expect(banner.callManagerAfter).toEqual({
      label: 'After the failover completes, Call Manager users logging in must specify the IP address of the secondary server:',
      address: '10.2.0.10',
    });
  });

  it('says in a split brain that sites are computed on the assumption that HQ services are answered, not "last known"', () => {
    const banner = bannerFor(
      liveState({ hq: hq({ state: 'dual-active', activeAddress: null, standbyId: null, standby: 'unknown' }) }),
      T0,
    )!;
    expect(banner.detail).toBe(
      'Primary and secondary both answer as Headquarters. Site statuses below are computed on the assumption that HQ services are answered, as both servers claim, and every one is marked at risk.',
    );
    expect(banner.detail).not.toMatch(/last known/);
  });

  it('warns when the standby is lost while the primary is HQ, with nothing lost', () => {
    const banner = bannerFor(
      liveState({ hq: hq({ standby: 'not-ready' }), nodes: [node('primary'), node('secondary', { status: 'down' })] }),
      T0,
    )!;
    expect(banner).toMatchObject({
      kind: 'standby-lost',
      tone: 'warning',
      headline: 'Standby not ready: the secondary HQ server does not answer',
      losses: [],
      globalLoss: null,
    });
    expect(bannerFor(liveState({ hq: hq({ standby: 'unknown' }) }), T0)).toBeNull();
  });

  it('notes a primary not ready to take back while the secondary is HQ', () => {
    const state = liveState({
      hq: hq({ state: 'secondary-active', activeAddress: '10.2.0.10', standbyId: 'primary', standby: 'not-ready' }),
    });
    expect(bannerFor(state, T0)!.notes).toEqual(['The primary does not answer: no failback could complete now.']);
  });
});

describe('hqDownCauseText: the HQ card names the server', () => {
  it.each([
    ['target-down', 'HQ secondary', 'secondary', 'HQ secondary does not answer: no failover possible'],
    ['target-down', 'HQ primary', 'primary', 'HQ primary does not answer: no failback possible'],
    ['both-down', 'HQ secondary', 'secondary', 'neither HQ server answers: no failover possible'],
    ['direction-unknown', null, null, 'no failover or failback is known to be under way'],
  ] as const)('%s, standby %s', (cause, name, id, text) => {
    expect(hqDownCauseText(cause, name, id)).toBe(text);
  });
});
