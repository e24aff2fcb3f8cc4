import type { IncidentDetail, SiteImpact, TimelineEntry, WindowSummary } from '@hqwatch/shared';
import { iso, T0 } from './fixtures.ts';

const S = 1000;
export const ID = 'inc-1';

/** A failover of 7 s, 6 s on the secondary, then a failback of 7 s; the incident closes 1 s later. */
export const TIMES = { start: T0, secondary: T0 + 7 * S, failback: T0 + 13 * S, primary: T0 + 20 * S, end: T0 + 21 * S };

function window(kind: 'failover' | 'failback', from: number, to: number): WindowSummary {
  return {
    kind,
    startedAt: iso(from),
    endedAt: iso(to),
    durationMs: to - from,
    expectedMinMs: 5 * S,
    expectedMaxMs: 20 * S,
    overrun: false,
    verdict: 'expected',
  };
}

const base = { incidentId: ID };

export const TIMELINE: TimelineEntry[] = [
  { ...base, type: 'node-status', at: iso(TIMES.start), nodeId: 'primary', from: 'serving', to: 'reachable', flapping: false },
  {
    ...base,
    type: 'hq-transition',
    at: iso(TIMES.start),
    from: 'primary-active',
    to: 'failing-over',
    window: { kind: 'failover', startedAt: iso(TIMES.start) },
  },
  { ...base, type: 'incident-opened', at: iso(TIMES.start), startedAt: iso(TIMES.start) },
  { ...base, type: 'impact', at: iso(TIMES.start), service: 'telephony', from: 'ok', to: 'down', siteIds: ['hq'] },
  { ...base, type: 'annotation', at: iso(TIMES.start + 3 * S), id: 'n1', text: '<b>bold?</b>', createdAt: iso(TIMES.end) },
  { ...base, type: 'node-status', at: iso(TIMES.secondary), nodeId: 'secondary', from: 'reachable', to: 'serving', flapping: false },
  { ...base, type: 'hq-transition', at: iso(TIMES.secondary), from: 'failing-over', to: 'secondary-active', window: null },
  {
    ...base,
    type: 'window-closed',
    at: iso(TIMES.secondary),
    kind: 'failover',
    startedAt: iso(TIMES.start),
    endedAt: iso(TIMES.secondary),
    durationMs: 7 * S,
    expectedMinMs: 5 * S,
    expectedMaxMs: 20 * S,
    overrun: false,
  },
  {
    ...base,
    type: 'hq-transition',
    at: iso(TIMES.failback),
    from: 'secondary-active',
    to: 'failing-back',
    window: { kind: 'failback', startedAt: iso(TIMES.failback) },
  },
  { ...base, type: 'node-status', at: iso(TIMES.primary), nodeId: 'primary', from: 'reachable', to: 'serving', flapping: false },
  { ...base, type: 'hq-transition', at: iso(TIMES.primary), from: 'failing-back', to: 'primary-active', window: null },
  { ...base, type: 'incident-closed', at: iso(TIMES.end), startedAt: iso(TIMES.start), endedAt: iso(TIMES.end), durationMs: 21 * S },
];

function down(service: SiteImpact['services'][number]['service'], ...stretches: [number, number][]): SiteImpact['services'][number] {
  return {
    service,
    downMs: stretches.reduce((sum, [a, b]) => sum + b - a, 0),
    intervals: stretches.map(([a, b]) => ({ status: 'down', from: iso(a), to: iso(b), durationMs: b - a })),
  };
}

const windows: [number, number][] = [
  [TIMES.start, TIMES.secondary],
  [TIMES.failback, TIMES.primary],
];

export const IMPACT: SiteImpact[] = [
  {
    siteId: 'hq',
    name: 'Headquarters',
    userCount: 400,
    services: [down('telephony', ...windows), down('voicemail', windows[0]!), down('configChanges', ...windows)],
  },
  { siteId: 'boston', name: 'Boston', userCount: 120, services: [down('configChanges', ...windows)] },
  { siteId: 'austin', name: 'Austin', userCount: 75, services: [down('voicemail', ...windows), down('configChanges', ...windows)] },
];

export function detail(extra: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    incident: {
      id: ID,
      startedAt: iso(TIMES.start),
      endedAt: iso(TIMES.end),
      durationMs: 21 * S,
      noServiceMs: 14 * S,
      windows: [window('failover', TIMES.start, TIMES.secondary), window('failback', TIMES.failback, TIMES.primary)],
      worstImpact: { at: iso(TIMES.start), sitesImpacted: 3, telephony: { sites: 1, users: 400 } },
      annotationCount: 1,
    },
    timeline: TIMELINE,
    impact: IMPACT,
    asOf: iso(TIMES.end + 5 * S),
    ...extra,
  };
}
