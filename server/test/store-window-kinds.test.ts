/**
 * Window kinds decided by how windows end, the ETA made from past windows, and the migration that
 * marks windows recorded under the old rules — through the live path's pure functions into a real
 * store, time as an argument.
 */
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_KIND_NOTE } from '@hqwatch/shared';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/store/migrations.ts';
import { exportMarkdown } from '../src/api/export-markdown.ts';
import { openStore, type Store } from '../src/store/store.ts';
import {
  BOTH_DOWN,
  createDriver,
  MINUTE,
  NORMAL,
  ON_SECONDARY,
  PRIMARY_DOWN,
  scenarioConfig,
  T0,
  tempDataDir,
  type Driver,
} from './store-scenario.ts';

const config = scenarioConfig();
const OPTS = { retentionDays: 90, checkpointIntervalMs: 60_000 };
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function freshStore(): { store: Store; dir: string } {
  const { dir, cleanup } = tempDataDir();
  const store = openStore({ dataDir: dir, ...OPTS });
  cleanups.push(cleanup, () => store.close());
  return { store, dir };
}

/** A failover of `minutes`, an hour on the secondary, a failback of `minutes - 1`, back to normal until the incident closes. */
function cycle(driver: Driver, minutes: number): void {
  driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
  driver.hold(minutes * MINUTE);
  driver.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active');
  driver.hold(60 * MINUTE);
  driver.until(BOTH_DOWN, (s) => s.hq.state === 'failing-back');
  driver.hold((minutes - 1) * MINUTE);
  driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
  driver.until(NORMAL, (s) => s.incident === null);
}

describe('window kinds decided by how windows end', () => {
  it('a primary that comes back with the secondary never serving is recorded as an outage, with no expected length', () => {
    const { store } = freshStore();
    const driver = createDriver(store, config, T0);
    driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const open = driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    expect(open.hq.window).toMatchObject({ kind: 'failover' });
    driver.hold(45 * MINUTE);
    driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const [incident] = store.listIncidents({ limit: 5, offset: 0 }, config).incidents;
    expect(incident!.windows).toEqual([expect.objectContaining({ kind: 'outage', overrun: false, verdict: 'no-expected-length' })]);
    expect(incident!.windows[0]!.durationMs).toBeGreaterThan(45 * MINUTE);
    expect(incident!.windows[0]).not.toHaveProperty('kindNote');
    const detail = store.incidentDetail(incident!.id, config)!;
    const closed = detail.timeline.find((e) => e.type === 'window-closed');
    expect(closed).toMatchObject({ kind: 'outage', overrun: false });
    const markdown = exportMarkdown(detail);
    expect(markdown).toMatch(/\| Outage \| .* \| none \(an outage\) \| an outage: no expected length \|/);
    // Never called a failover that overran.
    expect(markdown).not.toMatch(/over\*\* the expected maximum/);
  });
});

describe('the ETA of an open window', () => {
  it('comes from past windows of the same kind: in the store, the live state, the incident list, the export and replay', () => {
    const { store } = freshStore();
    const driver = createDriver(store, config, T0);
    driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    // Three failovers of about 6, 7 and 9 minutes (and failbacks a minute shorter), then a blip.
    for (const minutes of [6, 7, 9]) cycle(driver, minutes);
    driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    driver.hold(2 * MINUTE);
    driver.until(NORMAL, (s) => s.incident === null);

    const history = store.windowDurations();
    expect(history.failover).toHaveLength(3);
    expect(history.failback).toHaveLength(3);
    // Newest first, each a little over its held minutes (the debounce rounds count too).
    expect(history.failover.map((ms) => Math.floor(ms / MINUTE))).toEqual([9, 7, 6]);

    // The monitor reads them at start: a failover opening now carries the estimate.
    const live = createDriver(store, config, driver.now(), driver.core());
    const opened = live.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    expect(opened.hq.window?.estimate).toEqual({
      basis: 'history',
      lowMs: 6 * MINUTE,
      highMs: 9 * MINUTE,
      medianMs: expect.any(Number),
      count: 3,
    });
    live.hold(3 * MINUTE);
    const now = live.round(PRIMARY_DOWN);

    const [incident] = store.listIncidents({ limit: 1, offset: 0 }, config).incidents;
    expect(incident!.windows.at(-1)).toMatchObject({ kind: 'failover', endedAt: null, estimate: { basis: 'history', count: 3 } });
    const markdown = exportMarkdown(store.incidentDetail(incident!.id, config)!);
    expect(markdown).toMatch(/- \*\*Open failover:\*\* 3m \d+s so far, usually done in ~6–9 min, based on 3 past failovers/);

    const replayed = store.replay(incident!.id, now.at, config);
    expect(replayed.ok && replayed.state.hq.window?.estimate).toMatchObject({ basis: 'history', count: 3 });
  });

  it("falls back to the vendor's range with fewer than three past windows", () => {
    const { store } = freshStore();
    const driver = createDriver(store, config, T0);
    driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    cycle(driver, 8);
    const opened = createDriver(store, config, driver.now(), driver.core()).until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    expect(opened.hq.window?.estimate).toEqual({ basis: 'vendor', lowMs: 5 * MINUTE, highMs: 20 * MINUTE, medianMs: null, count: 1 });
  });
});

describe('migration 4: windows recorded under the old rules', () => {
  it('marks failover and failback windows (an outage says nothing false), and leaves them out of the ETA', () => {
    const { dir, cleanup } = tempDataDir();
    cleanups.push(cleanup);
    // A file as build 2 left it: a "failover" window that was in fact the primary coming back.
    const old = new Sqlite(path.join(dir, 'hqwatch.db'));
    for (const step of MIGRATIONS.slice(0, 2)) old.exec(step);
    old.pragma('user_version = 2');
    const t = Date.parse(T0);
    old.prepare('INSERT INTO incidents (id, started_at, ended_at) VALUES (?, ?, ?)').run('inc-old', t, t + 60 * MINUTE);
    const window = old.prepare(
      'INSERT INTO windows (started_at, incident_id, kind, ended_at, expected_min_ms, expected_max_ms) VALUES (?, ?, ?, ?, 300000, 1200000)',
    );
    window.run(t, 'inc-old', 'failover', t + 4 * MINUTE);
    window.run(t + 10 * MINUTE, 'inc-old', 'failback', t + 18 * MINUTE);
    window.run(t + 30 * MINUTE, 'inc-old', 'outage', t + 35 * MINUTE);
    old.prepare('INSERT INTO monitor_runs (started_at, last_seen_at) VALUES (?, ?)').run(t, t + 60 * MINUTE);
    old.close();

    const store = openStore({ dataDir: dir, ...OPTS });
    cleanups.push(() => store.close());
    expect(SCHEMA_VERSION).toBe(4);
    const [incident] = store.listIncidents({ limit: 1, offset: 0 }, config).incidents;
    expect(incident!.windows.map((w) => [w.kind, w.kindNote ?? null])).toEqual([
      ['failover', LEGACY_KIND_NOTE],
      ['failback', LEGACY_KIND_NOTE],
      ['outage', null],
    ]);
    // The kinds themselves are kept: no silent rewrite of history.
    expect(store.incidentDetail('inc-old', config)!.incident.windows.map((w) => w.kind)).toEqual(['failover', 'failback', 'outage']);
    expect(exportMarkdown(store.incidentDetail('inc-old', config)!)).toContain(`| Failover (${LEGACY_KIND_NOTE}) |`);
    expect(store.windowDurations()).toEqual({ failover: [], failback: [] });
  });
});
