/**
 * What the status database poller keeps in the store — each switch's status changes per site, each
 * server service's state changes per node and the source's own status — on both backends: written through the store's ordered write queue,
 * read back at a restart, led into an incident's detail, rebuilt for replay, and kept through a
 * database outage.
 */
import { afterEach, expect, it } from 'vitest';
import {
  statusDbSchema,
  type HqState,
  type HqwatchConfig,
  type ServerServiceEvent,
  type StatusDbSourceEvent,
  type StatusDbStatus,
  type SwitchStatusEvent,
} from '@hqwatch/shared';
import { exportCsv } from '../src/api/export-csv.ts';
import { exportJson } from '../src/api/export-json.ts';
import { exportMarkdown } from '../src/api/export-markdown.ts';
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

function service(
  at: string,
  nodeId: string,
  name: string,
  displayName: string,
  from: number | null,
  to: number | null,
  hqState: HqState,
): ServerServiceEvent {
  return { type: 'server-service', at, incidentId: null, nodeId, service: name, displayName, from, to, hqState };
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

  it("records server service states; a restart reads each one's last state, replay shows the cards as they were, and the exports list the changes", async () => {
    place = await backend.place();
    store = await place.open();
    expect(await store.switchHistory.latestServices()).toEqual({});
    const m = await runFailoverScenario(createDriver(store, config, T0));
    // Voice Mail on the primary was already stopped before the incident: it leads the incident's list.
    const vmailStopped = service(shift(T0, 5), 'primary', 'VMail', 'Voice Mail', 4, 1, 'primary-active');
    // So was the standby's TMS, as a standby's is.
    const standbyTms = service(shift(T0, 0), 'secondary', 'TMS', 'Telephony Management Service', null, 1, 'primary-active');
    await store.switchHistory.record([
      service(shift(T0, 0), 'primary', 'TMS', 'Telephony Management Service', null, 4, 'primary-active'),
      service(shift(T0, 0), 'primary', 'VMail', 'Voice Mail', null, 4, 'primary-active'),
      standbyTms,
      service(shift(T0, 0), 'dvs-boston', 'DRS', 'Distributed Routing Service', null, 4, 'primary-active'),
      source(shift(T0, 0), 'starting', 'ok'),
    ]);
    await store.switchHistory.record([vmailStopped]);
    const tmsLost = service(shift(m.failoverStart, 20), 'primary', 'TMS', 'Telephony Management Service', 4, 1, 'failing-over');
    await store.switchHistory.record([tmsLost]);
    const tmsUp = service(shift(m.failoverEnd, 30), 'secondary', 'TMS', 'Telephony Management Service', 1, 4, 'secondary-active');
    // A service no longer listed: its card shows it no more.
    const drsGone = service(shift(m.failoverEnd, 40), 'dvs-boston', 'DRS', 'Distributed Routing Service', 4, null, 'secondary-active');
    await store.switchHistory.record([tmsUp, drsGone]);
    await store.close();

    store = await place.open();
    expect(await store.switchHistory.latestServices()).toEqual({
      primary: { TMS: { displayName: 'Telephony Management Service', state: 1 }, VMail: { displayName: 'Voice Mail', state: 1 } },
      secondary: { TMS: { displayName: 'Telephony Management Service', state: 4 } },
    });

    const detail = (await store.incidentDetail(m.incidentId, withStatusDb))!;
    // Led by the services not running when it opened (the running ones are left out).
    expect(detail.serviceChanges).toEqual([standbyTms, vmailStopped, tmsLost, tmsUp, drsGone]);

    const servicesOf = (state: { nodes: { id: string; services?: unknown }[] }, id: string) =>
      state.nodes.find((n) => n.id === id)!.services;
    const during = await store.replay(m.incidentId, shift(m.failoverStart, 25), withStatusDb);
    if (!during.ok) throw new Error(`replay refused: ${during.reason}`);
    expect(servicesOf(during.state, 'primary')).toEqual([
      { name: 'TMS', displayName: 'Telephony Management Service', state: 1, stateText: 'stopped', running: false },
      { name: 'VMail', displayName: 'Voice Mail', state: 1, stateText: 'stopped', running: false },
    ]);
    expect(servicesOf(during.state, 'secondary')).toEqual([
      { name: 'TMS', displayName: 'Telephony Management Service', state: 1, stateText: 'stopped', running: false },
    ]);
    expect(servicesOf(during.state, 'dvs-boston')).toMatchObject([{ name: 'DRS', running: true }]);
    const after = await store.replay(m.incidentId, shift(m.failoverEnd, 45), withStatusDb);
    if (!after.ok) throw new Error(`replay refused: ${after.reason}`);
    expect(servicesOf(after.state, 'secondary')).toMatchObject([{ name: 'TMS', state: 4, running: true }]);
    expect(servicesOf(after.state, 'dvs-boston')).toBeUndefined();
    // Without a status database configured, replay adds nothing of it.
    const plain = await store.replay(m.incidentId, shift(m.failoverStart, 25), config);
    expect(plain.ok && plain.state.nodes.every((n) => n.services === undefined)).toBe(true);

    const csv = exportCsv(detail).split('\r\n');
    expect(csv.filter((line) => line.includes(',server-service,'))).toEqual([
      `${standbyTms.at},server-service,,secondary,,TMS,,1,,,,,,,,,Telephony Management Service (TMS) on HQ secondary: not listed → stopped (HQ primary-active),,,`,
      `${vmailStopped.at},server-service,,primary,,VMail,4,1,,,,,,,,,Voice Mail (VMail) on HQ primary: running → stopped (HQ primary-active),,,`,
      `${tmsLost.at},server-service,,primary,,TMS,4,1,,,,,,,,,Telephony Management Service (TMS) on HQ primary: running → stopped (HQ failing-over),,,`,
      `${tmsUp.at},server-service,,secondary,,TMS,1,4,,,,,,,,,Telephony Management Service (TMS) on HQ secondary: stopped → running (HQ secondary-active),,,`,
      `${drsGone.at},server-service,,dvs-boston,,DRS,4,,,,,,,,,,Distributed Routing Service (DRS) on Boston DVS: running → not listed (HQ secondary-active),,,`,
    ]);
    const md = exportMarkdown(detail);
    expect(md).toContain('| Server | Service | State changes |');
    expect(md).toMatch(
      /\| HQ primary \| Telephony Management Service \(TMS\) \| running before; stopped from [^|]+ \(read while HQ was failing-over\) \|/,
    );
    expect(md).toMatch(
      /\| HQ secondary \| Telephony Management Service \(TMS\) \| stopped from [^|]+ \(read while HQ was primary-active\); running from [^|]+ \(read while HQ was secondary-active\) \|/,
    );
    expect(md).toMatch(/\| Boston DVS \| Distributed Routing Service \(DRS\) \| running before; not listed from /);
    const json = JSON.parse(exportJson(detail, shift(m.failoverEnd, 60))) as { serviceChanges: ServerServiceEvent[] };
    expect(json.serviceChanges).toEqual([standbyTms, vmailStopped, tmsLost, tmsUp, drsGone]);
  });
});
