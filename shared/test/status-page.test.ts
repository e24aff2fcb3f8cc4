/**
 * The status page's words for users, traced to the vendor's notes: what each site's users lose in
 * each HQ state, the expected end of a switch-over, what to do (the secondary's address while it
 * controls the system), and nothing said while the monitor cannot see. Also the history's
 * episodes and changes.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STATUS_WORDS,
  episodes,
  siteOverall,
  siteStatus,
  statusChanges,
  type HqState,
  type LiveState,
  type SiteStatus,
  type StatusPageContext,
} from '@hqwatch/shared';
import { company, companyWithoutDrs, hqIn, impactOf, nodesWith, siteOf } from './impact-fixtures.ts';
import { computeImpact } from '@hqwatch/shared';

const CTX: StatusPageContext = {
  words: JSON.parse(JSON.stringify(DEFAULT_STATUS_WORDS)) as StatusPageContext['words'],
  page: { language: 'en', timeZone: 'UTC', clock: '24h' },
};

/** A live state of the company in `state` at `at` (the window opened at 10:00 UTC). */
function liveState(
  state: HqState,
  opts: { at?: string; overrides?: Record<string, 'down'>; healthy?: boolean; config?: typeof company } = {},
): LiveState {
  const config = opts.config ?? company;
  const hq = hqIn(state);
  const impact = opts.config ? computeImpact({ config, hq, nodes: nodesWith(opts.overrides, config) }) : impactOf(state, opts.overrides);
  return {
    contractVersion: 2,
    seq: 1,
    at: opts.at ?? '2025-03-01T10:05:00.000Z',
    hq,
    nodes: [],
    sites: impact.sites,
    incident: null,
    monitor: { healthy: opts.healthy ?? true, intervalMs: 2_000 },
    impact: impact.summary,
  };
}

function status(state: HqState, siteId: string, opts: Parameters<typeof liveState>[1] = {}, ctx = CTX): SiteStatus {
  const live = liveState(state, opts);
  return siteStatus(live, siteOf(live.sites, siteId), ctx);
}

const lines = (s: SiteStatus) => Object.fromEntries(s.services.map((l) => [l.service, l.text]));

describe('what users lose during a failover (vendor: no Headquarters server services are available)', () => {
  it('users homed on HQ lose Call Manager telephony and video, not IM; each loss until about the vendor’s 20 minutes', () => {
    const s = status('failing-over', 'hq');
    expect(lines(s)).toEqual({
      callManager: 'phone and video calls unavailable until about 10:20 (typically 5–20 min)',
      instantMessages: 'working',
      voicemail: 'unavailable until about 10:20 (typically 5–20 min)',
      otherOffices: 'unavailable until about 10:20 (typically 5–20 min)',
      settings: 'unavailable until about 10:20 (typically 5–20 min)',
      accountCodes: 'unavailable until about 10:20 (typically 5–20 min)',
      workgroups: 'unavailable until about 10:20 (typically 5–20 min)',
    });
    expect(s.overall).toBe('disrupted');
    expect(s.headline).toBe('Some phone services at Headquarters are unavailable.');
    expect(s.situation).toMatchObject({
      kind: 'failover',
      startedAt: '2025-03-01T10:00:00.000Z',
      expectedEnd: '2025-03-01T10:20:00.000Z',
      overrun: false,
    });
    expect(s.situation.text).toContain('Since 10:00');
  });

  it('users on a distributed server keep Call Manager; voicemail routed through HQ is lost; DRS through their own server still works', () => {
    const s = status('failing-over', 'denver');
    expect(s.services.find((l) => l.service === 'callManager')!.status).toBe('working');
    expect(s.services.find((l) => l.service === 'voicemail')!.status).toBe('unavailable');
    expect(s.services.find((l) => l.service === 'otherOffices')!.status).toBe('working');
  });

  it('a site whose only DRS access is through HQ cannot call other offices', () => {
    const s = status('failing-over', 'miami');
    expect(s.services.find((l) => l.service === 'otherOffices')!).toMatchObject({
      status: 'unavailable',
      expectedEnd: '2025-03-01T10:20:00.000Z',
    });
    expect(s.services.find((l) => l.service === 'voicemail')!.status).toBe('working');
  });

  it('tells the address users will need once it is done, and not to change settings', () => {
    expect(status('failing-over', 'boston').actions).toEqual([
      {
        kind: 'call-manager-address-next',
        address: '10.2.0.10',
        text: 'Once the switch-over is done, log in to Call Manager with server address 10.2.0.10.',
      },
      { kind: 'settings', text: 'Changes to your phone settings cannot be saved now: make them once this is over.' },
    ]);
    expect(status('failing-back', 'boston').actions[0]).toMatchObject({ kind: 'call-manager-address-next', address: '10.1.0.10' });
  });

  it('says it takes longer than usual once past the usual end, without an end it cannot know', () => {
    const s = status('failing-over', 'hq', { at: '2025-03-01T10:25:00.000Z' });
    expect(lines(s).voicemail).toBe('unavailable for longer than usual (typically 5–20 min)');
    expect(s.situation).toMatchObject({ overrun: true, expectedEnd: null });
  });

  it('uses the 12-hour clock when configured', () => {
    const ctx = { ...CTX, page: { ...CTX.page, clock: '12h' as const } };
    expect(lines(status('failing-over', 'hq', {}, ctx)).voicemail).toMatch(/^unavailable until about 10:20\s?AM/);
  });
});

describe('what to do while the secondary controls the system', () => {
  it('every site is told the secondary’s address to type in Call Manager (vendor rule)', () => {
    for (const site of ['hq', 'boston', 'seattle']) {
      const s = status('secondary-active', site);
      expect(s.callManagerAddress).toBe('10.2.0.10');
      expect(s.actions).toEqual([
        { kind: 'call-manager-address', address: '10.2.0.10', text: 'When you log in to Call Manager, enter server address 10.2.0.10.' },
      ]);
    }
    expect(status('secondary-active', 'hq').overall).toBe('ok');
  });

  it('while the primary is HQ and all works: nothing to do, and the usual address if asked', () => {
    expect(status('primary-active', 'hq').actions.map((a) => a.kind)).toEqual(['nothing', 'call-manager-address']);
  });
});

describe('when not everything is known', () => {
  it('an HQ outage has no expected end; IM of HQ users is not known (the notes say nothing of it)', () => {
    const s = status('hq-down', 'hq');
    expect(lines(s).callManager).toBe('phone and video calls unavailable');
    expect(lines(s).instantMessages).toBe('not known right now');
    expect(s.situation.kind).toBe('outage');
    expect(s.situation.expectedEnd).toBeNull();
  });

  it('a distributed server down is a loss with no switch-over end', () => {
    const s = status('primary-active', 'boston', { overrides: { 'dvs-boston': 'down' } });
    expect(lines(s).callManager).toBe('phone and video calls unavailable');
    expect(s.actions.map((a) => a.kind)).toEqual(['call-manager-address']);
  });

  it('while the monitor is blind or unhealthy nothing is said to work or not, and no address is given', () => {
    for (const s of [status('monitor-blind', 'hq'), status('primary-active', 'hq', { healthy: false })]) {
      expect(s.checked).toBe(false);
      expect(s.services.every((l) => l.status === 'uncertain')).toBe(true);
      expect(s.actions).toEqual([]);
      expect(s.callManagerAddress).toBeNull();
      expect(s.situation.kind).toBe('unknown');
    }
    const live = liveState('monitor-blind');
    expect(siteOverall(live, siteOf(live.sites, 'hq'))).toBe('uncertain');
  });

  it('split brain: what is computed is not vouched for', () => {
    const s = status('dual-active', 'hq');
    expect(s.overall).toBe('uncertain');
    expect(s.situation.kind).toBe('uncertain');
  });

  it('without DRS there is no line for calls to other offices', () => {
    const s = status('failing-over', 'miami', { config: companyWithoutDrs });
    expect(s.services.map((l) => l.service)).not.toContain('otherOffices');
  });
});

describe('a site’s history', () => {
  const T = Date.parse('2025-03-01T10:00:00.000Z');
  const M = 60_000;
  const rows = [
    { service: 'telephony' as const, startedAt: T, endedAt: T + 8 * M },
    { service: 'video' as const, startedAt: T, endedAt: T + 8 * M },
    { service: 'voicemail' as const, startedAt: T + M, endedAt: T + 9 * M },
    { service: 'voicemail' as const, startedAt: T + 60 * M, endedAt: null },
  ];

  it('merges telephony and video into Call Manager and overlapping losses into one episode, newest first', () => {
    expect(episodes(rows, T - M)).toEqual([
      { from: T + 60 * M, to: null, services: ['voicemail'] },
      { from: T, to: T + 9 * M, services: ['callManager', 'voicemail'] },
    ]);
  });

  it('lists each change of what is unavailable', () => {
    expect(statusChanges(rows, T - M)).toEqual([
      { at: T, lost: ['callManager'], back: [], unavailable: ['callManager'] },
      { at: T + M, lost: ['voicemail'], back: [], unavailable: ['callManager', 'voicemail'] },
      { at: T + 8 * M, lost: [], back: ['callManager'], unavailable: ['voicemail'] },
      { at: T + 9 * M, lost: [], back: ['voicemail'], unavailable: [] },
      { at: T + 60 * M, lost: ['voicemail'], back: [], unavailable: ['voicemail'] },
    ]);
  });

  it('starts an episode older than the window at its start, and leaves out what ended before it', () => {
    expect(episodes(rows, T + 4 * M)).toEqual([
      { from: T + 60 * M, to: null, services: ['voicemail'] },
      { from: T + 4 * M, to: T + 9 * M, services: ['callManager', 'voicemail'] },
    ]);
    expect(episodes(rows, T + 30 * M)).toEqual([{ from: T + 60 * M, to: null, services: ['voicemail'] }]);
  });
});
