import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/store.ts';
import { createDriver, MINUTE, NORMAL, PRIMARY_DOWN, ON_SECONDARY, scenarioConfig, tempDataDir, T0 } from './store-scenario.ts';

let store: Store;
let cleanup = () => {};
afterEach(() => {
  store.close();
  cleanup();
});

let dataDir = '';
function open(): void {
  const tmp = tempDataDir();
  cleanup = tmp.cleanup;
  dataDir = tmp.dir;
  store = openStore({ dataDir, retentionDays: 90, checkpointIntervalMs: 60_000 });
}

function restart(): void {
  store.close();
  store = openStore({ dataDir, retentionDays: 90, checkpointIntervalMs: 60_000 });
}

const ms = Date.parse;

describe('availability per site and service', () => {
  it('is the fraction of monitored time ok: a window counts against the sites that lost the service', () => {
    open();
    const config = scenarioConfig();
    const driver = createDriver(store, config, T0);
    const start = driver.round(NORMAL).at; // first round: verdict not reached yet, everything unknown
    const normal = driver.until(NORMAL, (s) => s.hq.state === 'primary-active').at;
    driver.hold(30 * MINUTE);
    const over = driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over').at;
    driver.hold(10 * MINUTE);
    const back = driver.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active').at;
    driver.hold(20 * MINUTE);
    const end = driver.now();

    const report = store.availability(start, end, config);
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

  it('does not count time the monitor was not running, before it started or between runs', () => {
    open();
    const config = scenarioConfig();
    const driver = createDriver(store, config, T0);
    driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const ranUntil = driver.now();
    // Nothing recorded for an hour, then a new run.
    restart();
    const later = new Date(ms(ranUntil) + 60 * MINUTE).toISOString();
    const second = createDriver(store, config, later, driver.core());
    second.round(NORMAL);
    second.hold(10 * MINUTE);
    const end = second.now();

    const from = new Date(ms(T0) - 60 * MINUTE).toISOString();
    const report = store.availability(from, end, config);
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

    const before = store.availability('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', config);
    expect(before.monitoredMs).toBe(0);
    expect(before.sites[0]!.services.telephony.ok).toBeNull();
  });

  it('leaves services that do not apply (n/a) out of the fraction', () => {
    open();
    const config = { ...scenarioConfig(), drs: { enabled: false } };
    const driver = createDriver(store, config, T0);
    const start = driver.round(NORMAL).at;
    driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    driver.hold(10 * MINUTE);
    const report = store.availability(start, driver.now(), config);
    expect(report.sites[0]!.services.drsIntersite).toMatchObject({ ok: null, naMs: report.monitoredMs, okMs: 0 });
  });
});
