/**
 * `store.downSince`: what the status page's 7-day history is read from — every site's `down`
 * intervals ended after a moment or still open, and nothing else (no `unknown` time, no reasons).
 * On each backend.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, MINUTE, NORMAL, PRIMARY_DOWN, ON_SECONDARY, scenarioConfig, T0 } from './store-scenario.ts';

const ms = Date.parse;

describeStores('the status page’s history (downSince)', (backend) => {
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

  it('gives the down intervals of a failover, ended or still open, and leaves out earlier ones and unknown time', async () => {
    const config = scenarioConfig();
    const driver = createDriver(store, config, T0);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const over = (await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over')).at;
    await driver.hold(10 * MINUTE);
    const back = (await driver.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active')).at;
    await driver.hold(5 * MINUTE);
    await store.flush();

    const rows = await store.downSince(ms(T0));
    const hq = rows.filter((r) => r.siteId === 'hq');
    expect(hq.map((r) => r.service).sort()).toEqual([
      'accountCodes',
      'configChanges',
      'drsIntersite',
      'telephony',
      'video',
      'voicemail',
      'workgroups',
    ]);
    for (const r of hq) expect(r).toEqual({ siteId: 'hq', service: r.service, startedAt: ms(over), endedAt: ms(back) });
    // The first round's unknown time is not an interruption.
    expect(rows.every((r) => r.startedAt >= ms(over))).toBe(true);
    // Ended before the moment asked: left out.
    expect(await store.downSince(ms(back) + 1)).toEqual([]);

    // Still open: given with no end.
    await driver.until(PRIMARY_DOWN, (s) => s.hq.state !== 'secondary-active');
    await store.flush();
    const open = (await store.downSince(ms(back) + 1)).filter((r) => r.endedAt === null);
    expect(open.length).toBeGreaterThan(0);
  });
});
