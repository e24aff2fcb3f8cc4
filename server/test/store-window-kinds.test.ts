/**
 * Window kinds decided by how windows end, the ETA made from past windows, and the migrations that
 * mark windows recorded under the old rules — through the live path's pure functions into a real
 * store (SQLite and PostgreSQL), time as an argument.
 */
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { LEGACY_KIND_NOTE, type HqwatchConfig } from '@hqwatch/shared';
import { exportMarkdown } from '../src/api/export-markdown.ts';
import { parsePostgresUrl } from '../src/store/backend-postgres.ts';
import { migratePostgres, POSTGRES_SCHEMA_VERSION } from '../src/store/migrations-postgres.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/store/migrations.ts';
import { postgresSql } from '../src/store/sql/postgres.ts';
import type { Sql } from '../src/store/sql/sql.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { checkService, postgresSchema, type PostgresSchema } from './support/services.ts';
import { describeStores, STORE_BACKENDS, type StorePlace } from './support/store-backends.ts';
import { BOTH_DOWN, createDriver, MINUTE, NORMAL, ON_SECONDARY, PRIMARY_DOWN, scenarioConfig, T0, type Driver } from './store-scenario.ts';

const config = scenarioConfig();
const postgres = await checkService('postgres');

/** A failover of `minutes`, an hour on the secondary, a failback of `minutes - 1`, back to normal until the incident closes. */
async function cycle(driver: Driver, minutes: number): Promise<void> {
  await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
  await driver.hold(minutes * MINUTE);
  await driver.until(ON_SECONDARY, (s) => s.hq.state === 'secondary-active');
  await driver.hold(60 * MINUTE);
  await driver.until(BOTH_DOWN, (s) => s.hq.state === 'failing-back');
  await driver.hold((minutes - 1) * MINUTE);
  await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
  await driver.until(NORMAL, (s) => s.incident === null);
}

describeStores('window kinds and the ETA', (backend) => {
  let place: StorePlace | null = null;
  let store: Store | null = null;
  afterEach(async () => {
    await store?.close();
    await place?.cleanup();
    store = null;
    place = null;
  });

  async function freshStore(): Promise<Store> {
    place = await backend.place();
    store = await place.open();
    return store;
  }

  it('a primary that comes back with the secondary never serving is recorded as an outage, with no expected length', async () => {
    const store = await freshStore();
    const driver = createDriver(store, config, T0);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const open = await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    expect(open.hq.window).toMatchObject({ kind: 'failover' });
    await driver.hold(45 * MINUTE);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    const [incident] = (await store.listIncidents({ limit: 5, offset: 0 }, config)).incidents;
    expect(incident!.windows).toEqual([expect.objectContaining({ kind: 'outage', overrun: false, verdict: 'no-expected-length' })]);
    expect(incident!.windows[0]!.durationMs).toBeGreaterThan(45 * MINUTE);
    expect(incident!.windows[0]).not.toHaveProperty('kindNote');
    const detail = (await store.incidentDetail(incident!.id, config))!;
    const closed = detail.timeline.find((e) => e.type === 'window-closed');
    expect(closed).toMatchObject({ kind: 'outage', overrun: false });
    const markdown = exportMarkdown(detail);
    expect(markdown).toMatch(/\| HQ outage \| .* \| none \(an outage\) \| an outage: no expected length \|/);
    // Never called a failover that overran.
    expect(markdown).not.toMatch(/over\*\* the expected maximum/);
    // An outage gives no duration to the ETA.
    expect(await store.windowDurations()).toEqual({ failover: [], failback: [] });
  });

  it('comes from past windows of the same kind: in the store, the live state, the incident list, the export and replay', async () => {
    const store = await freshStore();
    const driver = createDriver(store, config, T0);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    // Three failovers of about 6, 7 and 9 minutes (and failbacks a minute shorter), then a blip.
    for (const minutes of [6, 7, 9]) await cycle(driver, minutes);
    await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    await driver.hold(2 * MINUTE);
    await driver.until(NORMAL, (s) => s.incident === null);

    const history = await store.windowDurations();
    expect(history.failover).toHaveLength(3);
    expect(history.failback).toHaveLength(3);
    // Newest first, each a little over its held minutes (the debounce rounds count too).
    expect(history.failover.map((ms) => Math.floor(ms / MINUTE))).toEqual([9, 7, 6]);
    expect(history.failback.map((ms) => Math.floor(ms / MINUTE))).toEqual([8, 6, 5]);
    // Only windows closed by a moment, as replay asks.
    // An hour in: the first failover (about 6 minutes) had closed, its failback not yet.
    expect(await store.windowDurations(Date.parse(T0) + 60 * MINUTE)).toEqual({ failover: [history.failover[2]], failback: [] });

    // The monitor reads them at start: a failover opening now carries the estimate.
    const live = createDriver(store, config, driver.now(), driver.core());
    const opened = await live.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    expect(opened.hq.window?.estimate).toEqual({
      basis: 'history',
      lowMs: 6 * MINUTE,
      highMs: 9 * MINUTE,
      medianMs: expect.any(Number),
      count: 3,
    });
    await live.hold(3 * MINUTE);
    const now = await live.round(PRIMARY_DOWN);

    const [incident] = (await store.listIncidents({ limit: 1, offset: 0 }, config)).incidents;
    expect(incident!.windows.at(-1)).toMatchObject({ kind: 'failover', endedAt: null, estimate: { basis: 'history', count: 3 } });
    const markdown = exportMarkdown((await store.incidentDetail(incident!.id, config))!);
    expect(markdown).toMatch(
      /\| Failover \| .* \| open \| 3 min \d+ s so far \| 5–20 min \| still open: usually done in ~6–9 min, based on 3 past failovers \|/,
    );
    expect(markdown).toMatch(/The failover is still under way after 3 min \d+ s \(usually done in ~6–9 min, based on 3 past failovers\)\./);

    const replayed = await store.replay(incident!.id, now.at, config);
    expect(replayed.ok && replayed.state.hq.window?.estimate).toMatchObject({ basis: 'history', count: 3 });
  });

  it("falls back to the vendor's range with fewer than three past windows", async () => {
    const store = await freshStore();
    const driver = createDriver(store, config, T0);
    await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
    await cycle(driver, 8);
    const opened = await createDriver(store, config, driver.now(), driver.core()).until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
    expect(opened.hq.window?.estimate).toEqual({ basis: 'vendor', lowMs: 5 * MINUTE, highMs: 20 * MINUTE, medianMs: null, count: 1 });
  });
});

/** One incident of an hour with a "failover" that was the primary coming back, a failback and an outage. */
const OLD_WINDOWS = (t: number): [number, string, string, number][] => [
  [t, 'inc-old', 'failover', t + 4 * MINUTE],
  [t + 10 * MINUTE, 'inc-old', 'failback', t + 18 * MINUTE],
  [t + 30 * MINUTE, 'inc-old', 'outage', t + 35 * MINUTE],
];

/** What a store opened on a history written under the old rules shows: kinds kept, marked, and no ETA from them. */
async function expectOldKindsMarked(store: Store, cfg: HqwatchConfig): Promise<void> {
  const [incident] = (await store.listIncidents({ limit: 1, offset: 0 }, cfg)).incidents;
  expect(incident!.windows.map((w) => [w.kind, w.kindNote ?? null])).toEqual([
    ['failover', LEGACY_KIND_NOTE],
    ['failback', LEGACY_KIND_NOTE],
    ['outage', null],
  ]);
  // The kinds themselves are kept: no silent rewrite of history.
  const detail = (await store.incidentDetail('inc-old', cfg))!;
  expect(detail.incident.windows.map((w) => w.kind)).toEqual(['failover', 'failback', 'outage']);
  expect(exportMarkdown(detail)).toContain(`| Failover (${LEGACY_KIND_NOTE}) |`);
  expect(await store.windowDurations()).toEqual({ failover: [], failback: [] });
}

describe('the migrations that mark windows recorded under the old rules', () => {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });

  it('SQLite step 4: a file as build 2 left it has failover and failback windows marked (an outage says nothing false)', async () => {
    const place = await STORE_BACKENDS.find((b) => b.name === 'sqlite')!.place();
    cleanups.push(() => place.cleanup());
    // A file as build 2 left it: a "failover" window that was in fact the primary coming back.
    const old = new Sqlite(path.join(place.dataDir, 'hqwatch.db'));
    for (const step of MIGRATIONS.slice(0, 2)) old.exec(step);
    old.pragma('user_version = 2');
    const t = Date.parse(T0);
    old.prepare('INSERT INTO incidents (id, started_at, ended_at) VALUES (?, ?, ?)').run('inc-old', t, t + 60 * MINUTE);
    const window = old.prepare(
      'INSERT INTO windows (started_at, incident_id, kind, ended_at, expected_min_ms, expected_max_ms) VALUES (?, ?, ?, ?, 300000, 1200000)',
    );
    for (const row of OLD_WINDOWS(t)) window.run(...row);
    old.prepare('INSERT INTO monitor_runs (started_at, last_seen_at) VALUES (?, ?)').run(t, t + 60 * MINUTE);
    old.close();

    const store = await place.open();
    cleanups.push(() => store.close());
    // 3 the status database, 4 legacy_kind, 5 the writer's position, 6 reasons as facts, 7 alerting, 8 accounts,
    // 9 follow-up notes, 10 leadership, 11 server service changes.
    expect(SCHEMA_VERSION).toBe(11);
    await expectOldKindsMarked(store, config);
  });

  describe.skipIf(!postgres.available)('PostgreSQL', () => {
    it('step 3: a schema as the first PostgreSQL build left it (version 1) has its windows marked the same way', async () => {
      const schema: PostgresSchema = postgresSchema();
      cleanups.push(() => schema.drop());
      const target = parsePostgresUrl(schema.url());
      const sql = postgresSql(pg, { connectionString: target.connectionString, schema: target.schema }, () => undefined);
      try {
        await sql.run(`CREATE SCHEMA ${target.schema}`);
        await migratePostgres(sql, 1);
        await writeOldHistory(sql);
      } finally {
        await sql.close();
      }

      const store = await openStore({ kind: 'postgres', url: schema.url(), retentionDays: 90 });
      cleanups.push(() => store.close());
      // 2 the status database, 3 legacy_kind, 4 reasons as facts, 5 alerting, 6 accounts, 7 follow-up notes, 8 leadership,
      // 9 server service changes.
      expect(POSTGRES_SCHEMA_VERSION).toBe(9);
      await expectOldKindsMarked(store, config);
    });
  });
});

async function writeOldHistory(sql: Sql): Promise<void> {
  const t = Date.parse(T0);
  await sql.run('INSERT INTO incidents (id, started_at, ended_at) VALUES (?, ?, ?)', ['inc-old', t, t + 60 * MINUTE]);
  for (const row of OLD_WINDOWS(t))
    await sql.run(
      'INSERT INTO windows (started_at, incident_id, kind, ended_at, expected_min_ms, expected_max_ms) VALUES (?, ?, ?, ?, 300000, 1200000)',
      row,
    );
  await sql.run('INSERT INTO monitor_runs (started_at, last_seen_at) VALUES (?, ?)', [t, t + 60 * MINUTE]);
}
