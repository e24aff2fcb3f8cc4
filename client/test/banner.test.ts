import { describe, expect, it } from 'vitest';
import { bannerFor, formatWindowElapsed } from '../src/state/banner.ts';
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
      { what: 'Telephony & video', sites: 1, users: 400 },
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
    ['hq-down', 'outage', 'alarm', /no Headquarters server/],
    ['monitor-blind', 'monitor-blind', 'notice', /cannot see/],
  ] as const)('has a banner of its own for %s', (state, kind, tone, headline) => {
    const banner = bannerFor(liveState({ hq: hq({ state, activeAddress: null }) }), T0)!;
    expect(banner.kind).toBe(kind);
    expect(banner.tone).toBe(tone);
    expect(banner.headline).toMatch(headline);
  });

  it('shows the hq-down window clock when the outage window is open', () => {
    const state = liveState({
      hq: hq({
        state: 'hq-down',
        activeAddress: null,
        window: { kind: 'outage', startedAt: iso(T0), elapsedMs: 0, expectedMinMs: 5 * MIN, expectedMaxMs: 20 * MIN, overrun: false },
      }),
    });
    expect(bannerFor(state, T0 + 90_000)!.sentence).toBe('HQ down: no Headquarters server is serving — 01:30 elapsed — typically 5–20 min');
  });

  it('gives the monitor reason when blind', () => {
    const state = liveState({
      hq: hq({ state: 'monitor-blind' }),
      monitor: { healthy: false, reason: 'witness 10.0.0.1:53 unreachable', intervalMs: 2000 },
    });
    expect(bannerFor(state, T0)!.detail).toBe('witness 10.0.0.1:53 unreachable');
  });
});

describe('formatWindowElapsed', () => {
  it.each([
    [0, '00:00'],
    [7 * MIN + 12_000, '07:12'],
    [19 * MIN + 59_999, '19:59'],
    [75 * MIN, '1:15:00'],
  ])('%i ms → %s', (ms, text) => {
    expect(formatWindowElapsed(ms)).toBe(text);
  });
});
