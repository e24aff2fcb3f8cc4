/**
 * What the status database poller keeps in the store — each switch's status changes per site and
 * the source's own status — on both backends: written through the store's ordered write queue,
 * read back at a restart, led into an incident's detail, rebuilt for replay, and kept through a
 * database outage.
 */
import { afterEach, expect, it } from 'vitest';
import {
  statusDbSchema,
  type HqState,
  type HqwatchConfig,
  type StatusDbSourceEvent,
  type StatusDbStatus,
  type SwitchStatusEvent,
} from '@hqwatch/shared';
import type { Store } from '../src/store/store.ts';
import { eventually } from './support/app.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, runFailoverScenario, scenarioConfig, T0 } from './store-scenario.ts';

const config = scenarioConfig();
const withStatusDb: HqwatchConfig = {
  ...config,
  statusDb: statusDbSchema.parse({ url: 'mysql://hqwatch_ro@10.1.0.10:4308/shorewarestatus', interval: '15s' }),
};

const shift = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

function change(at: string, siteId: string, name: string, from: number | null, to: number | null, hqState: HqState): SwitchStatusEvent {
  return { type: 'switch-status', at, incidentId: null, siteId, switch: name, from, to, hqState };
}

function source(at: string, from: StatusDbStatus, to: StatusDbStatus, extra: Partial<StatusDbSourceEvent> = {}): StatusDbSourceEvent {
  return { type: 'status-db', at, incidentId: null, from, to, ...extra };
}

describeStores('the status database history', (backend) => {
  let place: StorePlace | null = null;
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    await place?.cleanup();
    store = null;
    place = null;
  });

  it("records one read's changes together; a restart reads each switch's last code and each site's last change", async () => {
    place = await backend.place();
    store = await place.open();
    expect(await store.switchHistory.latest()).toEqual({ codes: {}, since: {} });
    await store.switchHistory.record([]);
    await store.switchHistory.record([
      change(shift(T0, 0), 'hq', 'sw-hq-1', null, 110, 'primary-active'),
      change(shift(T0, 0), 'hq', 'sw-hq-2', null, 110, 'primary-active'),
      change(shift(T0, 0), 'boston', 'sw-bos-1', null, 110, 'primary-active'),
      source(shift(T0, 0), 'starting', 'ok'),
    ]);
    await store.switchHistory.record([
      change(shift(T0, 30), 'hq', 'sw-hq-1', 110, 490, 'failing-over'),
      // A switch no longer listed: it has no code any more.
      change(shift(T0, 45), 'boston', 'sw-bos-1', 110, null, 'failing-over'),
    ]);
    await store.close();

    store = await place.open();
    expect(await store.switchHistory.latest()).toEqual({
      codes: { hq: { 'sw-hq-1': 490, 'sw-hq-2': 110 } },
      since: { hq: shift(T0, 30), boston: shift(T0, 45) },
    });
  });

  it('leads an incident with the switches already lost when it opened, and replays them as they were', async () => {
    place = await backend.place();
    store = await place.open();
    const m = await runFailoverScenario(createDriver(store, config, T0));
    const lostEarly = change(shift(m.failoverStart, -5), 'hq', 'sw-hq-1', 110, 490, 'primary-active');
    await store.switchHistory.record([
      change(shift(T0, 0), 'hq', 'sw-hq-1', null, 110, 'primary-active'),
      change(shift(T0, 0), 'hq', 'sw-hq-2', null, 110, 'primary-active'),
      source(shift(T0, 0), 'starting', 'ok'),
    ]);
    await store.switchHistory.record([lostEarly]);
    const lostLater = change(shift(m.failoverStart, 30), 'hq', 'sw-hq-2', 110, 490, 'failing-over');
    const away = source(shift(m.failoverStart, 10), 'ok', 'unreachable', { error: 'no HQ server is acting', expected: true });
    await store.switchHistory.record([away, lostLater]);
    const back = [
      source(shift(m.failoverEnd, 20), 'unreachable', 'ok'),
      change(shift(m.failoverEnd, 60), 'hq', 'sw-hq-1', 490, 110, 'secondary-active'),
      change(shift(m.failoverEnd, 61), 'hq', 'sw-hq-2', 490, 110, 'secondary-active'),
    ];
    await store.switchHistory.record(back);

    const detail = (await store.incidentDetail(m.incidentId, config))!;
    // The loss seen a moment before the probes' debounce opened the incident leads the list.
    expect(detail.switchChanges).toEqual([lostEarly, lostLater, back[1], back[2]]);
    expect(detail.statusDbChanges).toEqual([away, back[0]]);

    const during = shift(m.failoverStart, 60);
    const replayed = await store.replay(m.incidentId, during, withStatusDb);
    if (!replayed.ok) throw new Error(`replay refused: ${replayed.reason}`);
    expect(replayed.state.sites.find((s) => s.id === 'hq')!.switches).toMatchObject({ total: 2, lost: 2, since: lostLater.at });
    expect(replayed.state.statusDb).toMatchObject({
      status: 'unreachable',
      since: away.at,
      readAt: away.at,
      error: 'no HQ server is acting',
      expected: true,
      target: 'hqwatch_ro@10.1.0.10:4308/shorewarestatus',
      intervalMs: 15_000,
    });
    // Without a status database configured, replay adds nothing of it.
    const plain = await store.replay(m.incidentId, during, config);
    expect(plain.ok && plain.state.statusDb).toBeUndefined();
  });

  it('waits behind a failing database in order with the rounds, never rejecting, and lands once it is back', async () => {
    place = await backend.place();
    const faulty = await place.openFaulty();
    store = faulty.store;
    await store.switchHistory.record([change(shift(T0, 0), 'hq', 'sw-hq-1', null, 110, 'primary-active')]);
    await faulty.fail();
    await expect(store.switchHistory.record([change(shift(T0, 10), 'hq', 'sw-hq-1', 110, 490, 'failing-over')])).resolves.toBeUndefined();
    await expect(store.switchHistory.record([change(shift(T0, 20), 'hq', 'sw-hq-1', 490, 110, 'failing-over')])).resolves.toBeUndefined();
    expect(store.status()).toMatchObject({ ok: false, queued: 2 });
    // A restart's read while the database is away says nothing rather than rejecting.
    if (backend.name === 'postgres') expect(await store.switchHistory.latest()).toEqual({ codes: {}, since: {} });

    await faulty.heal();
    await store.heartbeat(shift(T0, 30));
    await eventually(() => store!.status().ok && store!.status().queued === 0, 15_000, 'the queue written');
    expect(await store.switchHistory.latest()).toEqual({ codes: { hq: { 'sw-hq-1': 110 } }, since: { hq: shift(T0, 20) } });
  });
});
