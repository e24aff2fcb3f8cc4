import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, MINUTE, NORMAL, PRIMARY_DOWN, ON_SECONDARY, scenarioConfig, T0 } from './store-scenario.ts';

const ms = Date.parse;

describeStores('availability per site and service', (backend) => {
  let place: StorePlace;
  let store: Store;
  beforeEach(async () => {
    place = await backend.place();
    store = await place.open();
  });
  afterEach(async () => {
    await store.close();
    await place.cleanup();
  });

  async function restart(): Promise<void> {
    await store.close();
    store = await place.open();
  }

  it('is the fraction of monitored time ok: a window counts against the sites that lost the service', async () => {
    const config = scenarioConfig();
    const driver = createDriver(store, config, T0);
    const start = (await driver.round(NORMAL)).at; // first round: verdict not reached yet, everything unknown
    const normal = (await driver.until(NORMAL, (s) => s.hq.state === 'primary-active')).at;
    await driver.hold(30 * MINUTE);
    const over = (await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over')).at;
    await driver.hold(10 * MINUTE);
    const back = (await driver.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active')).at;
    await driver.hold(20 * MINUTE);
    const end = driver.now();

    const report = await store.availability(start, end, config);
    const total = ms(end) - ms(start);
    expect(report).toMatchObject({ from: start, to: end, monitoredMs: total, unmonitoredMs: 0, gaps: [] });
    const hq = report.sites.find((s) => s.siteId === 'hq')!.services.telephony;
    const unknownMs = ms(normal) - ms(start);
    const downMs = ms(back) - ms(over);
    expect(hq).toEqual({ ok: (total - downMs - unknownMs) / total, okMs: total - downMs - unknownMs, downMs, unknownMs, naMs: 0 });
    const boston = report.sites.find((s) => s.siteId === 'boston')!.services.telephony;
    expect(boston).toMatchObject({ downMs: 0, okMs: total - unknownMs });
    expect(report.sites.map((s) => s.siteId)).toEqual(['hq', 'boston', 'austin']);
  });

  it('does not count time the monitor was not running, before it started or between runs', async () => {
    const config = scenarioConfig();
    const driver = createDriver(store, config, T0);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const ranUntil = driver.now();
    // Nothing recorded for an hour, then a new run.
    await restart();
    const later = new Date(ms(ranUntil) + 60 * MINUTE).toISOString();
    const second = createDriver(store, config, later, driver.core());
    await second.round(NORMAL);
    await second.hold(10 * MINUTE);
    const end = second.now();

    const from = new Date(ms(T0) - 60 * MINUTE).toISOString();
    const report = await store.availability(from, end, config);
    const firstRound = new Date(ms(T0) + 2_000).toISOString();
    const restartAt = new Date(ms(later) + 2_000).toISOString();
    expect(report.gaps).toEqual([
      { from, to: firstRound },
      { from: ranUntil, to: restartAt },
    ]);
    expect(report.monitoredMs).toBe(ms(ranUntil) - ms(firstRound) + (ms(end) - ms(restartAt)));
    expect(report.unmonitoredMs).toBe(ms(end) - ms(from) - report.monitoredMs);
    const hq = report.sites[0]!.services.telephony;
    expect(hq.okMs + hq.unknownMs + hq.downMs).toBe(report.monitoredMs);

    const before = await store.availability('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', config);
    expect(before.monitoredMs).toBe(0);
    expect(before.sites[0]!.services.telephony.ok).toBeNull();
  });

  it('leaves services that do not apply (n/a) out of the fraction', async () => {
    const config = { ...scenarioConfig(), drs: { enabled: false } };
    const driver = createDriver(store, config, T0);
    const start = (await driver.round(NORMAL)).at;
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    await driver.hold(10 * MINUTE);
    const report = await store.availability(start, driver.now(), config);
    expect(report.sites[0]!.services.drsIntersite).toMatchObject({ ok: null, naMs: report.monitoredMs, okMs: 0 });
  });
});
