import { createServer, type Server, type Socket } from 'node:net';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HqwatchConfig, LiveState, SiteView, StateDelta } from '@hqwatch/shared';
import { statusRows, type StatusDbNames } from '../src/lab/status-db-schema.ts';
import { hostProblem } from '../src/statusdb/words.ts';
import { startTestApp, eventually, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { seedStatusDb } from './support/status-db-seed.ts';
import { STORE_BACKENDS } from './support/store-backends.ts';
import { mariadbConnection, checkService, MARIADB, mariadbDatabases, type MariadbDatabases } from './support/services.ts';

// Loopback octet 50 (127.50.x.y) for this file.
const OCTET = 50;
const PRIMARY = `127.${OCTET}.1.10`;
const SECONDARY = `127.${OCTET}.2.10`;
const DVS = `127.${OCTET}.3.10`;

const maria = await checkService('mariadb');

const siteOf = (state: LiveState, id: string): SiteView => state.sites.find((s) => s.id === id)!;

function configWith(
  url: string,
  db: StatusDbNames,
  extra: Record<string, unknown> = {},
  statusDb: Record<string, unknown> = {},
): HqwatchConfig {
  return testConfig(OCTET, {
    sites: [
      { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
      {
        id: 'boston',
        name: 'Boston',
        users: 'dvs-boston',
        voicemail: 'dvs-boston',
        drs: ['dvs-boston', 'hq'],
        switches: ['sw-bos-1', '192.0.2.22', 'sw-bos-9'],
      },
    ],
    statusDb: {
      url,
      interval: '300ms',
      connectTimeout: '250ms',
      queryTimeout: '250ms',
      schema: { configDatabase: db.config },
      ...statusDb,
    },
    ...extra,
  });
}

describe.skipIf(!maria.available)('the ShoreWare status database beside the probes (real MariaDB)', () => {
  let db: MariadbDatabases;
  let admin: Connection;
  let t: TestApp | null = null;
  const probes = scriptedProbes();

  beforeAll(async () => {
    admin = await mariadbConnection();
  });
  afterAll(async () => {
    await admin?.end();
  });
  beforeEach(async () => {
    probes.set(PRIMARY, true);
    probes.set(SECONDARY, false);
    db = mariadbDatabases();
    await seedStatusDb(admin, db, { primary: PRIMARY, dvs: DVS });
  });
  afterEach(async () => {
    await t?.close();
    t = null;
    await admin.query('UNLOCK TABLES');
    await db.drop();
  });

  async function start(config: HqwatchConfig): Promise<TestApp> {
    t = await startTestApp(config, { runProbe: probes.run });
    return t;
  }
  const current = () => t!.app.monitor.current();
  const until = (check: (s: LiveState) => boolean, what: string, ms = 10_000) =>
    eventually(() => (check(current()) ? current() : false), ms, what);

  it('maps switches to sites by name and by list, names the worst in words, and shows server services', async () => {
    await start(configWith(db.url, db));
    const state = await until((s) => s.statusDb?.status === 'ok' && siteOf(s, 'hq').switches !== undefined, 'a first read');
    expect(state.statusDb).toMatchObject({ status: 'ok', target: `root@${MARIADB.host}:${MARIADB.port}/${db.status}`, intervalMs: 300 });
    expect(siteOf(state, 'hq').switches).toMatchObject({ total: 2, inService: 2, lost: 0, worst: { code: 110, text: 'in service' } });
    expect(siteOf(state, 'boston').switches).toMatchObject({
      total: 2,
      inService: 1,
      lost: 1,
      worst: { code: 490, text: 'lost communication' },
      missing: ['sw-bos-9'],
    });
    const primary = state.nodes.find((n) => n.id === 'primary')!;
    expect(primary.services).toEqual([
      { name: 'TMS', displayName: 'Telephony Management Service', state: 4, stateText: 'running', running: true },
      { name: 'VMail', displayName: 'Voice Mail', state: 1, stateText: 'stopped', running: false },
    ]);
    expect(state.nodes.find((n) => n.id === 'dvs-boston')!.services).toMatchObject([
      { displayName: 'Distributed Routing Service', running: true },
    ]);
    expect(state.nodes.find((n) => n.id === 'secondary')!.services).toBeUndefined();
  });

  it('says so where the database contradicts the vendor rules, without changing the impact', async () => {
    await start(configWith(db.url, db));
    await until((s) => s.hq.state === 'primary-active' && s.statusDb?.status === 'ok', 'primary-active and a read');
    await statusRows.code(admin, db, 22, 490);
    const state = await until((s) => siteOf(s, 'boston').switches?.lost === 2, 'both Boston switches lost');
    const boston = siteOf(state, 'boston');
    expect(boston.contradiction).toBe('reachability says ok; the status database says all 2 switches lost communication');
    expect(boston.services.telephony.status).toBe('ok');
    expect(state.hq.state).toBe('primary-active');
    expect(siteOf(state, 'hq').contradiction).toBeUndefined();
  });

  it('reads tables and columns renamed under statusDb.schema, end to end', async () => {
    const renamed = {
      configDatabase: db.config,
      switchStatus: { table: 'heapswitchstatus_v2', service: 'ServiceStatus', address: 'SwitchAddress' },
      switches: { name: 'SwitchName', siteId: 'LocationID' },
      sites: { table: 'locations', siteId: 'LocationID', name: 'LocationName' },
      serviceStatus: { table: 'servicestatus_v2', state: 'State' },
    };
    const config = configWith(db.url, db, {}, { schema: renamed });
    const names = { ...db, schema: config.statusDb!.schema };
    // Only the renamed tables exist: a read of the default names would fail.
    for (const table of [
      `${db.status}\`.\`heapswitchstatus`,
      `${db.status}\`.\`heapservicestatus`,
      `${db.config}\`.\`sites`,
      `${db.config}\`.\`switches`,
    ])
      await admin.query(`DROP TABLE \`${table}\``);
    await seedStatusDb(admin, names, { primary: PRIMARY, dvs: DVS });
    const [columns] = await admin.query(
      `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'heapswitchstatus_v2' ORDER BY ORDINAL_POSITION`,
      [db.status],
    );
    expect((columns as { c: string }[]).map((r) => r.c)).toEqual(['SwitchID', 'ServerID', 'SwitchAddress', 'ServiceStatus']);

    await start(config);
    const state = await until((s) => s.statusDb?.status === 'ok' && siteOf(s, 'hq').switches !== undefined, 'a first read');
    expect(siteOf(state, 'hq').switches).toMatchObject({ total: 2, inService: 2, worst: { code: 110 } });
    expect(siteOf(state, 'boston').switches).toMatchObject({ total: 2, inService: 1, lost: 1, missing: ['sw-bos-9'] });
    expect(state.nodes.find((n) => n.id === 'primary')!.services).toMatchObject([
      { name: 'TMS', state: 4, running: true },
      { name: 'VMail', state: 1, running: false },
    ]);

    await statusRows.code(admin, names, 11, 490);
    const changed = await until((s) => siteOf(s, 'hq').switches?.lost === 1, 'sw-hq-1 lost, read from the renamed column');
    expect(siteOf(changed, 'hq').switches).toMatchObject({ total: 2, inService: 1, worst: { code: 490, text: 'lost communication' } });
  });

  it('records server service state changes in history, and a restart records only real changes', async () => {
    const place = await STORE_BACKENDS.find((b) => b.name === 'sqlite')!.place();
    /** The service changes recorded so far, read with the store closed (SQLite holds its file exclusively). */
    const recorded = async () => {
      const backend = await place.openBackend();
      try {
        return await backend.sql.all<{ node: string; service: string; from: number | null; to: number | null }>(
          'SELECT node_id AS node, service_name AS service, from_state AS "from", to_state AS "to" FROM service_changes ORDER BY id',
        );
      } finally {
        await backend.close();
      }
    };
    try {
      const config = configWith(db.url, db);
      t = await startTestApp(config, { runProbe: probes.run, store: await place.open() });
      await until((s) => s.nodes.find((n) => n.id === 'primary')!.services !== undefined, 'a first read');
      await statusRows.service(admin, db, 1, 'VMail', 'Voice Mail', 4);
      await until((s) => s.nodes.find((n) => n.id === 'primary')!.services!.every((x) => x.running), 'Voice Mail running');
      await t.app.statusDb.pollNow();
      await t.close();
      t = null;
      const first = await recorded();
      expect(first).toEqual([
        { node: 'primary', service: 'TMS', from: null, to: 4 },
        { node: 'primary', service: 'VMail', from: null, to: 1 },
        { node: 'dvs-boston', service: 'DRS', from: null, to: 4 },
        { node: 'primary', service: 'VMail', from: 1, to: 4 },
      ]);

      // A restart compares with what history holds: nothing is recorded again until something changes.
      t = await startTestApp(config, { runProbe: probes.run, store: await place.open() });
      await until(
        (s) => s.statusDb?.status === 'ok' && s.nodes.find((n) => n.id === 'primary')!.services !== undefined,
        'a read after restart',
      );
      await statusRows.service(admin, db, 2, 'DRS', 'Distributed Routing Service', 1);
      await until((s) => s.nodes.find((n) => n.id === 'dvs-boston')!.services![0]!.running === false, 'DRS stopped');
      await t.app.statusDb.pollNow();
      await t.close();
      t = null;
      expect(await recorded()).toEqual([...first, { node: 'dvs-boston', service: 'DRS', from: 4, to: 1 }]);
    } finally {
      await t?.close();
      t = null;
      await place.cleanup();
    }
  });

  it('a read blocked by a table lock leaves the rounds on time and the source stale, never the switches down', async () => {
    // Rounds every 200 ms; a read may wait 2 s: a round that waited on it would come visibly late.
    await start(
      configWith(
        db.url,
        db,
        { monitor: { interval: '200ms', timeout: '150ms', failAfter: 2, recoverAfter: 2 } },
        { interval: '2500ms', queryTimeout: '2s' },
      ),
    );
    const before = await until((s) => s.statusDb?.status === 'ok' && siteOf(s, 'hq').switches?.total === 2, 'a first read');
    const readAt = before.statusDb!.readAt!;
    const rounds: number[] = [];
    const durations: number[] = [];
    const unsubscribe = t!.app.monitor.subscribe((delta: StateDelta) => {
      rounds.push(Date.parse(delta.at));
      durations.push(t!.app.monitor.stats().lastRoundMs ?? 0);
    });
    const lateBefore = t!.app.monitor.stats().lateRounds;

    // Another connection holds a write lock: every read of the table now waits on it.
    await admin.query(`LOCK TABLES \`${db.status}\`.heapswitchstatus WRITE`);
    const stale = await until((s) => s.statusDb?.status === 'stale', 'the source shown stale', 10_000);
    expect(stale.statusDb!.error).toBe('the read did not answer within 2 s (a table lock or a slow server)');
    expect(stale.statusDb!.readAt).toBe(readAt);
    expect(Date.parse(stale.statusDb!.since)).toBeGreaterThan(Date.parse(readAt));
    // The abandoned reads are killed on the server, not left queued behind the lock.
    const ours = `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO LIKE '%heapswitchstatus%'`;
    await eventually(
      async () => {
        const [rows] = await admin.query(ours);
        return (rows as { n: number }[])[0]!.n === 0;
      },
      10_000,
      'blocked reads killed',
    );
    // Keep the lock for longer than a read interval more, so another read starts and blocks.
    const staleSince = rounds.length;
    await eventually(() => rounds.length >= staleSince + 14, 10_000, 'rounds while stale');
    const held = current();
    await admin.query('UNLOCK TABLES');
    unsubscribe();

    expect(siteOf(held, 'hq').switches).toEqual(siteOf(before, 'hq').switches);
    expect(siteOf(held, 'boston').switches).toEqual(siteOf(before, 'boston').switches);
    expect(held.sites.every((s) => s.contradiction === undefined)).toBe(true);
    expect(held.hq.state).toBe(before.hq.state);
    // Every 200 ms a round, each over in a moment: none waited on a read blocked for up to 2 s.
    const gaps = rounds.slice(1).map((at, i) => at - rounds[i]!);
    expect(rounds.length).toBeGreaterThan(20);
    expect(Math.max(...gaps)).toBeLessThan(600);
    expect(Math.max(...durations)).toBeLessThan(500);
    expect(t!.app.monitor.stats().lateRounds).toBe(lateBefore);

    const back = await until((s) => s.statusDb?.status === 'ok', 'the source back');
    expect(Date.parse(back.statusDb!.readAt!)).toBeGreaterThan(Date.parse(readAt));
    expect(back.statusDb!.error).toBeUndefined();
  });

  it('an unreachable database is said in words and shows no switch figures', async () => {
    const closed = await freePort();
    await start(configWith(`mysql://root@127.0.0.1:${closed}/${db.status}`, db));
    const state = await until((s) => s.statusDb?.status === 'unreachable', 'unreachable');
    expect(state.statusDb!.error).toBe(`connection refused by root@127.0.0.1:${closed}/${db.status}: nothing listens there`);
    expect(state.statusDb!.readAt).toBeNull();
    expect(state.statusDb!.expected).toBeUndefined();
    expect(state.sites.every((s) => s.switches === undefined)).toBe(true);
  });

  it('a server that accepts but never greets is given up after the connect timeout', async () => {
    const silent = await silentServer();
    try {
      await start(configWith(`mysql://root@127.0.0.1:${silent.port}/${db.status}`, db));
      const state = await until((s) => s.statusDb?.status === 'unreachable', 'unreachable');
      expect(state.statusDb!.error).toBe(`root@127.0.0.1:${silent.port}/${db.status} did not answer within 250 ms`);
      // Polls keep coming on their interval: each one opened a connection and gave up.
      await eventually(() => silent.accepted() >= 3, 5_000, 'several attempts');
    } finally {
      await silent.close();
    }
  });

  it('reads the active HQ server, and during a window says the database is expected to be down', async () => {
    const config = configWith(`mysql://root@active-hq:${MARIADB.port}/${db.status}`, db, {
      headquarters: {
        primary: { name: 'HQ primary', address: MARIADB.host, probes: [{ kind: 'tcp', port: 4308 }] },
        secondary: { name: 'HQ secondary', address: SECONDARY, probes: [{ kind: 'tcp', port: 4308 }] },
      },
    });
    probes.set(MARIADB.host, true);
    probes.set(SECONDARY, false);
    await start(config);
    const ok = await until((s) => s.statusDb?.status === 'ok', 'a read from the primary');
    expect(ok.statusDb!.target).toBe(`root@${MARIADB.host} (active HQ server):${MARIADB.port}/${db.status}`);

    probes.set(MARIADB.host, false);
    const down = await until((s) => s.hq.window !== null && s.statusDb?.status === 'unreachable', 'a window');
    expect(down.statusDb!.expected).toBe(true);
    expect(down.statusDb!.error).toBe(hostProblem(down.hq.state));
    expect(down.statusDb!.error).toMatch(/^no HQ server is/);
    // What was read before stays, and is not turned into switches down.
    expect(siteOf(down, 'hq').switches).toMatchObject({ total: 2, inService: 2 });

    probes.set(SECONDARY, true);
    const moved = await until((s) => s.hq.state === 'secondary-active' && s.statusDb?.target.includes(SECONDARY) === true, 'the secondary');
    expect(moved.statusDb!.target).toBe(`root@${SECONDARY} (active HQ server):${MARIADB.port}/${db.status}`);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and says nothing, as a hung MySQL would. */
async function silentServer(): Promise<{ port: number; accepted(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => count,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
