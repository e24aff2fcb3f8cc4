import { afterEach, expect, it } from 'vitest';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, MINUTE, NORMAL, ON_SECONDARY, PRIMARY_DOWN, scenarioConfig, T0 } from './store-scenario.ts';

const config = scenarioConfig();

describeStores('restart in the middle of a failover window', (backend) => {
  let place: StorePlace | null = null;
  afterEach(async () => {
    await place?.cleanup();
    place = null;
  });

  it('continues the same incident and window, keeps what was committed and records the time down as a gap', async () => {
    place = await backend.place();

    // First life: into a failover window, then the process dies: no close, no final writes.
    const first = await place.openKillable();
    const driver = createDriver(first.store, config, T0);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const over = await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    await driver.hold(2 * MINUTE);
    const diedAt = driver.now();
    await first.kill();

    // Second life, 4 minutes later.
    const store = await place.open();
    const resumed = (await store.loadLatestCore())!;
    expect(resumed.core.hq).toMatchObject({ state: 'failing-over', window: { kind: 'failover', startedAt: over.hq.window!.startedAt } });
    expect(resumed.core.hq.incident?.id).toBe(over.incident!.id);

    const restartAt = new Date(Date.parse(diedAt) + 4 * MINUTE).toISOString();
    const again = createDriver(store, config, restartAt, resumed.core);
    const still = await again.round(PRIMARY_DOWN);
    expect(still.hq.window).toMatchObject({
      startedAt: over.hq.window!.startedAt,
      elapsedMs: Date.parse(still.at) - Date.parse(over.hq.window!.startedAt),
    });
    expect(still.incident).toEqual(over.incident);
    const end = await again.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active');

    const { incidents } = await store.listIncidents({ limit: 10, offset: 0 }, config);
    expect(incidents).toHaveLength(1);
    expect(incidents[0]!.windows).toEqual([
      expect.objectContaining({
        kind: 'failover',
        startedAt: over.hq.window!.startedAt,
        endedAt: end.at,
        durationMs: Date.parse(end.at) - Date.parse(over.hq.window!.startedAt),
      }),
    ]);
    const timeline = (await store.incidentDetail(over.incident!.id, config))!.timeline;
    const gap = timeline.find((e) => e.type === 'monitor-gap');
    expect(gap).toEqual({
      type: 'monitor-gap',
      at: diedAt,
      incidentId: over.incident!.id,
      from: diedAt,
      to: still.at,
      durationMs: Date.parse(still.at) - Date.parse(diedAt),
    });
    // The first life's events are all there: its incident and window openings, once.
    expect(timeline.filter((e) => e.type === 'incident-opened' || e.type === 'window-opened')).toHaveLength(2);

    // The gap is neither uptime nor downtime: HQ telephony was down only for the monitored part of the window.
    const firstRound = new Date(Date.parse(T0) + config.monitor.interval).toISOString();
    const report = await store.availability(firstRound, end.at, config);
    expect(report.gaps).toEqual([{ from: diedAt, to: still.at }]);
    expect(report.monitoredMs).toBe(Date.parse(end.at) - Date.parse(firstRound) - (Date.parse(still.at) - Date.parse(diedAt)));
    const telephony = report.sites.find((s) => s.siteId === 'hq')!.services.telephony;
    expect(telephony.downMs).toBe(Date.parse(diedAt) - Date.parse(over.at) + (Date.parse(end.at) - Date.parse(still.at)));
    await store.close();
  });
});
