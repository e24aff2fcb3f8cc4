import { describe, expect, it } from 'vitest';
import type { EngineCore, HqMachine, NodeTracker } from '../src/engine-types.ts';
import { deriveEvents, type HistoryEvent } from '../src/history.ts';
import { annotationInputSchema } from '../src/history-api.ts';
import { SERVICE_KEYS, type ServiceKey, type ServiceStatus, type SiteView } from '../src/types.ts';

const T0 = '2026-03-01T10:00:00.000Z';
const T1 = '2026-03-01T10:00:02.000Z';
const EXPECTED = { minMs: 300_000, maxMs: 1_200_000 };

function tracker(status: NodeTracker['status'], flapping = false): NodeTracker {
  return { status, since: T0, flapping, history: [], streak: null };
}

function core(hq: Partial<HqMachine>, nodes: Record<string, NodeTracker> = {}): EngineCore {
  return { hq: { state: 'primary-active', since: T0, window: null, incident: null, ...hq }, nodes };
}

function site(id: string, statuses: Partial<Record<ServiceKey, ServiceStatus>> = {}): SiteView {
  const services = Object.fromEntries(
    SERVICE_KEYS.map((key) => [key, { status: statuses[key] ?? 'ok', reason: `${key} of ${id} is ${statuses[key] ?? 'ok'}` }]),
  ) as SiteView['services'];
  return { id, name: id.toUpperCase(), callManagerAddress: null, services };
}

function types(events: HistoryEvent[]): string[] {
  return events.map((e) => e.type);
}

const incident = { id: 'inc-1', startedAt: T0, normalRounds: 0 };

describe('deriveEvents: HQ transitions, windows and incidents', () => {
  it('a round that changes nothing records nothing', () => {
    const frame = { core: core({}, { primary: tracker('serving') }), sites: [site('a')] };
    expect(deriveEvents(frame, frame, T1, EXPECTED)).toEqual([]);
  });

  it('the failover round records the transition, the incident opening and the window opening in that order', () => {
    const prev = { core: core({}), sites: [] };
    const window = { kind: 'failover' as const, startedAt: T1 };
    const next = { core: core({ state: 'failing-over', since: T1, window, incident: { ...incident, startedAt: T1 } }), sites: [] };
    const events = deriveEvents(prev, next, T1, EXPECTED);
    expect(types(events)).toEqual(['hq-transition', 'incident-opened', 'window-opened']);
    expect(events[0]).toEqual({ type: 'hq-transition', at: T1, incidentId: 'inc-1', from: 'primary-active', to: 'failing-over', window });
    expect(events[2]).toEqual({
      type: 'window-opened',
      at: T1,
      incidentId: 'inc-1',
      kind: 'failover',
      startedAt: T1,
      expectedMinMs: 300_000,
      expectedMaxMs: 1_200_000,
    });
  });

  it('closing a window measures it from its original start and flags an overrun past the expected maximum', () => {
    const start = '2026-03-01T09:30:00.000Z';
    const end = '2026-03-01T09:51:00.000Z';
    const prev = { core: core({ state: 'failing-over', window: { kind: 'failover', startedAt: start }, incident }), sites: [] };
    const next = { core: core({ state: 'secondary-active', since: end, incident }), sites: [] };
    const closed = deriveEvents(prev, next, end, EXPECTED).find((e) => e.type === 'window-closed');
    expect(closed).toMatchObject({ startedAt: start, endedAt: end, durationMs: 21 * 60_000, overrun: true, incidentId: 'inc-1' });
  });

  it('a window within the expected range is not an overrun', () => {
    const start = '2026-03-01T09:50:00.000Z';
    const prev = { core: core({ state: 'failing-back', window: { kind: 'failback', startedAt: start }, incident }), sites: [] };
    const next = { core: core({ state: 'primary-active', incident }), sites: [] };
    const closed = deriveEvents(prev, next, T0, EXPECTED).find((e) => e.type === 'window-closed');
    expect(closed).toMatchObject({ kind: 'failback', durationMs: 600_000, overrun: false });
  });

  it('an outage that learns its direction is announced again with the same start and its new kind', () => {
    const window = { kind: 'outage' as const, startedAt: T0 };
    const prev = { core: core({ state: 'hq-down', window, incident }), sites: [] };
    const next = { core: core({ state: 'failing-over', window: { ...window, kind: 'failover' }, incident }), sites: [] };
    const events = deriveEvents(prev, next, T1, EXPECTED);
    expect(types(events)).toEqual(['hq-transition', 'window-opened']);
    expect(events[1]).toMatchObject({ kind: 'failover', startedAt: T0 });
  });

  it('the round that closes an incident attributes its events to that incident', () => {
    const prev = {
      core: core({ incident: { ...incident, normalRounds: 1 } }, { primary: tracker('reachable') }),
      sites: [site('a', { im: 'down' })],
    };
    const next = { core: core({}, { primary: tracker('serving') }), sites: [site('a')] };
    const events = deriveEvents(prev, next, T1, EXPECTED);
    expect(types(events)).toEqual(['node-status', 'incident-closed', 'impact-changed']);
    expect(events.every((e) => e.incidentId === 'inc-1')).toBe(true);
    expect(events[1]).toMatchObject({ startedAt: T0, endedAt: T1, durationMs: 2000 });
  });

  it('blind rounds keep the window open: no window event while the monitor cannot see', () => {
    const window = { kind: 'failover' as const, startedAt: T0 };
    const prev = { core: core({ state: 'failing-over', window, incident }), sites: [] };
    const next = { core: core({ state: 'monitor-blind', since: T1, window, incident }), sites: [] };
    expect(types(deriveEvents(prev, next, T1, EXPECTED))).toEqual(['hq-transition']);
  });
});

describe('deriveEvents: nodes', () => {
  it('records a status change with the flapping flag', () => {
    const prev = { core: core({}, { 'dvs-a': tracker('serving') }), sites: [] };
    const next = { core: core({}, { 'dvs-a': tracker('down') }), sites: [] };
    expect(deriveEvents(prev, next, T1, EXPECTED)).toEqual([
      { type: 'node-status', at: T1, incidentId: null, nodeId: 'dvs-a', from: 'serving', to: 'down', flapping: false },
    ]);
  });

  it('records a node starting to flap even when its status holds', () => {
    const prev = { core: core({}, { 'dvs-a': tracker('serving') }), sites: [] };
    const next = { core: core({}, { 'dvs-a': tracker('serving', true) }), sites: [] };
    expect(deriveEvents(prev, next, T1, EXPECTED)).toMatchObject([{ nodeId: 'dvs-a', from: 'serving', to: 'serving', flapping: true }]);
  });

  it('a node new to the config starts from unknown', () => {
    const next = { core: core({}, { 'dvs-new': tracker('serving') }), sites: [] };
    expect(deriveEvents({ core: core({}), sites: [] }, next, T1, EXPECTED)).toMatchObject([{ from: 'unknown', to: 'serving' }]);
  });
});

describe('deriveEvents: impact', () => {
  it('records each service whose status changed, with the new reason, and nothing for unchanged ones', () => {
    const prev = { core: core({ incident }), sites: [site('a'), site('b')] };
    const next = { core: core({ incident }), sites: [site('a', { telephony: 'down', voicemail: 'down' }), site('b')] };
    expect(deriveEvents(prev, next, T1, EXPECTED)).toEqual([
      {
        type: 'impact-changed',
        at: T1,
        incidentId: 'inc-1',
        siteId: 'a',
        service: 'telephony',
        from: 'ok',
        to: 'down',
        reason: 'telephony of a is down',
      },
      {
        type: 'impact-changed',
        at: T1,
        incidentId: 'inc-1',
        siteId: 'a',
        service: 'voicemail',
        from: 'ok',
        to: 'down',
        reason: 'voicemail of a is down',
      },
    ]);
  });

  it('a reason change alone is not an impact change', () => {
    const prev = { core: core({}), sites: [site('a', { telephony: 'down' })] };
    const changed = site('a', { telephony: 'down' });
    changed.services.telephony.reason = 'another sentence';
    expect(deriveEvents(prev, { core: core({}), sites: [changed] }, T1, EXPECTED)).toEqual([]);
  });

  it('a first round records what sites have already lost, from ok', () => {
    const next = { core: core({}), sites: [site('a', { drsIntersite: 'n/a' })] };
    expect(deriveEvents({ core: core({}), sites: [] }, next, T1, EXPECTED)).toMatchObject([
      { siteId: 'a', service: 'drsIntersite', from: 'ok', to: 'n/a' },
    ]);
  });

  it('a site dropped from the config ends its services as n/a', () => {
    const prev = { core: core({}), sites: [site('gone', { telephony: 'down', drsIntersite: 'n/a' })] };
    const events = deriveEvents(prev, { core: core({}), sites: [] }, T1, EXPECTED);
    expect(events).toHaveLength(SERVICE_KEYS.length - 1);
    expect(
      events.every((e) => e.type === 'impact-changed' && e.to === 'n/a' && e.reason === 'GONE is no longer in the configuration'),
    ).toBe(true);
  });
});

describe('annotation input', () => {
  it('keeps the text exactly as given, markup and SQL included', () => {
    const text = "<script>alert(1)</script>'; DROP TABLE events; --";
    expect(annotationInputSchema.parse({ text })).toEqual({ text });
  });

  it('refuses an empty text, an unknown key and a time without zone', () => {
    expect(annotationInputSchema.safeParse({ text: '' }).success).toBe(false);
    expect(annotationInputSchema.safeParse({ text: 'x', by: 'me' }).success).toBe(false);
    const bad = annotationInputSchema.safeParse({ text: 'x', at: '2026-03-01 10:00' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'))).toEqual(['at']);
  });
});
