import { afterEach, beforeEach, expect, it } from 'vitest';
import type { TimelineEntry } from '@hqwatch/shared';
import type { Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, runFailoverScenario, scenarioConfig, T0, type ScenarioMoments } from './store-scenario.ts';

const config = scenarioConfig();

const ms = (iso: string) => Date.parse(iso);
const kinds = (timeline: TimelineEntry[]) => timeline.filter((e) => e.type !== 'impact').map((e) => e.type);

describeStores('incidents from a failover and failback', (backend) => {
  let place: StorePlace;
  let store: Store;
  let m: ScenarioMoments;
  beforeEach(async () => {
    place = await backend.place();
    store = await place.open();
    m = await runFailoverScenario(createDriver(store, config, T0));
  });
  afterEach(async () => {
    await store.close();
    await place.cleanup();
  });

  it('keeps one incident with both windows, measured against the expected 5–20 min', async () => {
    const { incidents, total } = await store.listIncidents({ limit: 10, offset: 0 }, config);
    expect(total).toBe(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({ id: m.incidentId, startedAt: m.failoverStart, endedAt: m.closedAt, annotationCount: 0 });
    expect(incident!.durationMs).toBe(ms(m.closedAt) - ms(m.failoverStart));
    expect(incident!.windows).toEqual([
      {
        kind: 'failover',
        startedAt: m.failoverStart,
        endedAt: m.failoverEnd,
        durationMs: ms(m.failoverEnd) - ms(m.failoverStart),
        expectedMinMs: 300_000,
        expectedMaxMs: 1_200_000,
        overrun: false,
        verdict: 'expected',
      },
      {
        kind: 'failback',
        startedAt: m.failbackStart,
        endedAt: m.failbackEnd,
        durationMs: ms(m.failbackEnd) - ms(m.failbackStart),
        expectedMinMs: 300_000,
        expectedMaxMs: 1_200_000,
        overrun: true,
        verdict: 'overrun',
      },
    ]);
    expect(incident!.noServiceMs).toBe(incident!.windows[0]!.durationMs + incident!.windows[1]!.durationMs);
  });

  it('reports the worst moment with the users of the sites that lost telephony', async () => {
    const [incident] = (await store.listIncidents({ limit: 10, offset: 0 }, config)).incidents;
    // Headquarters (400 users) and Austin (no count) are homed on HQ; Boston's DVS keeps its telephony.
    expect(incident!.worstImpact).toEqual({ at: m.failoverStart, sitesImpacted: 3, telephony: { sites: 2, users: 400 } });
  });

  it('puts transitions, windows, impact and the incident on one timeline in order', async () => {
    const detail = (await store.incidentDetail(m.incidentId, config))!;
    expect(kinds(detail.timeline)).toEqual([
      'node-status',
      'hq-transition',
      'incident-opened',
      'window-opened',
      'node-status',
      'hq-transition',
      'window-closed',
      // The primary, down, is now the standby; it comes back ready for the failback.
      'standby-changed',
      'node-status',
      'node-status',
      'hq-transition',
      'window-opened',
      'standby-changed',
      'node-status',
      'hq-transition',
      'window-closed',
      'standby-changed',
      'incident-closed',
    ]);
    const times = detail.timeline.map((e) => ms(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const telephony = detail.timeline.flatMap((e) =>
      e.type === 'impact' && e.service === 'telephony' ? [[e.at, `${e.from}>${e.to}`, e.siteIds]] : [],
    );
    // Headquarters and Austin are homed on HQ; Boston's users are on its DVS.
    expect(telephony).toEqual([
      [m.failoverStart, 'ok>down', ['austin', 'hq']],
      [m.failoverEnd, 'down>ok', ['austin', 'hq']],
      [m.failbackStart, 'ok>down', ['austin', 'hq']],
      [m.failbackEnd, 'down>ok', ['austin', 'hq']],
    ]);
    // Impact changes come after the transition that caused them.
    const failover = detail.timeline.filter((e) => e.at === m.failoverStart).map((e) => e.type);
    expect(failover.indexOf('impact')).toBeGreaterThan(failover.indexOf('window-opened'));
  });

  it('gives each site what it lost with durations; Boston keeps telephony through its DVS', async () => {
    const { impact } = (await store.incidentDetail(m.incidentId, config))!;
    const windowsMs = ms(m.failoverEnd) - ms(m.failoverStart) + (ms(m.failbackEnd) - ms(m.failbackStart));
    const hq = impact.find((s) => s.siteId === 'hq')!;
    expect(hq).toMatchObject({ name: 'Headquarters', userCount: 400 });
    expect(hq.services.find((s) => s.service === 'telephony')).toMatchObject({ downMs: windowsMs });
    expect(hq.services.find((s) => s.service === 'telephony')!.intervals[0]).toMatchObject({
      status: 'down',
      from: m.failoverStart,
      to: m.failoverEnd,
      reason: 'Call Manager telephony for Headquarters runs through HQ, which is failing over to HQ secondary',
    });
    const boston = impact.find((s) => s.siteId === 'boston')!;
    expect(boston.services.map((s) => s.service).sort()).toEqual(['accountCodes', 'configChanges', 'workgroups']);
  });

  it('pages newest first and filters by range', async () => {
    expect((await store.listIncidents({ from: m.closedAt.replace('09:31', '10:31'), limit: 10, offset: 0 }, config)).total).toBe(0);
    expect((await store.listIncidents({ to: m.failoverStart, limit: 10, offset: 0 }, config)).total).toBe(0);
    expect((await store.listIncidents({ from: m.failbackStart, to: m.failbackEnd, limit: 10, offset: 0 }, config)).total).toBe(1);
    expect(await store.listIncidents({ limit: 10, offset: 1 }, config)).toMatchObject({ incidents: [], total: 1, offset: 1 });
  });

  it('stores annotations as given, SQL and markup included, and counts them', async () => {
    const text = "Robert'); DROP TABLE incidents;-- <img src=x onerror=alert(1)>";
    const note = await store.annotate(m.incidentId, { text, at: m.failbackStart }, '2026-03-02T12:00:00.000Z');
    expect(note).toMatchObject({ incidentId: m.incidentId, text, at: m.failbackStart, createdAt: '2026-03-02T12:00:00.000Z' });
    expect(await store.annotate('inc-nope', { text }, '2026-03-02T12:00:00.000Z')).toBeNull();
    const detail = (await store.incidentDetail(m.incidentId, config))!;
    expect(detail.incident.annotationCount).toBe(1);
    const annotation = detail.timeline.find((e) => e.type === 'annotation');
    expect(annotation).toMatchObject({ text, at: m.failbackStart, id: note!.id });
    // It sits at its moment in the timeline: after the failback window opened, before it closed.
    const order = kinds(detail.timeline);
    expect(order.indexOf('annotation')).toBeGreaterThan(order.lastIndexOf('window-opened'));
    expect(order.indexOf('annotation')).toBeLessThan(order.lastIndexOf('window-closed'));
  });

  it('knows no unknown incident', async () => {
    expect(await store.incidentDetail('inc-20990101T000000000Z', config)).toBeNull();
  });
});
