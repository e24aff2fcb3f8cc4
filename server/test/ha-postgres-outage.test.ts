/**
 * PostgreSQL away for 30 s under a pair member (`hqwatch serve` with `ha`, its store reached through
 * a TCP proxy the test black-holes): the leader stands down within its lease and stops writing,
 * says so in its health, and leads again once the database is back. Nothing committed is lost, and
 * what happened meanwhile (a failover began) is recorded once back, after a gap that covers the
 * outage: never as uptime.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, LiveState } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { parsePostgresUrl } from '../src/store/backend-postgres.ts';
import { eventually } from './support/app.ts';
import { getJson, serveProcess, type ClusterView, type ServeProcess } from './support/serve-process.ts';
import { checkService, postgresSchema, SERVICES, type PostgresSchema } from './support/services.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const postgres = await checkService('postgres');
const OCTET = 142;
const INTERVAL = 300;
const OUTAGE_MS = 30_000;

describe.skipIf(!postgres.available)('PostgreSQL away for 30 s under a pair member', () => {
  let lab: Lab;
  let schema: PostgresSchema;
  let proxy: TcpProxy;
  let dir: string;
  let server: ServeProcess | null = null;
  let db: pg.Client;

  beforeAll(async () => {
    schema = postgresSchema();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: SERVICES.postgres.port });
    dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-ha-pg-'));
    const topology = smallTopology(OCTET);
    lab = await startLab(topology);
    const settings = {
      intervalMs: INTERVAL,
      timeoutMs: 250,
      failAfter: 2,
      recoverAfter: 2,
      expectedWindow: { minMs: 5_000, maxMs: 120_000 },
    };
    writeFileSync(
      path.join(dir, 'solo.yaml'),
      JSON.stringify({
        ...labConfig(topology, lab, settings),
        store: { kind: 'postgres', url: schema.url(proxy.port) },
        ha: { instance: 'solo', heartbeat: '500ms', lease: '3s' },
      }),
    );
    db = new pg.Client({ connectionString: parsePostgresUrl(schema.url()).connectionString });
    await db.connect();
  });

  afterAll(async () => {
    await server?.kill();
    await db?.end();
    await proxy?.close();
    await lab?.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'stands down and stops writing, leads again once back, loses nothing committed and records the outage as a gap',
    { timeout: 90_000 },
    async () => {
      server = await serveProcess(path.join(dir, 'solo.yaml'), path.join(dir, 'data'));
      const { url } = server;
      await eventually(async () => (await getJson<LiveState>(`${url}/api/state`)).hq.state === 'primary-active', 15_000, 'primary-active');
      const before = await getJson<ClusterView>(`${url}/api/cluster`);
      expect(before.role).toBe('leader');
      await new Promise((r) => setTimeout(r, 3 * INTERVAL));

      proxy.blackhole();
      const cutAt = Date.now();
      const committed = (
        await db.query<{ id: string; type: string; at: string }>(`SELECT id, type, at FROM "${schema.schema}".events ORDER BY id`)
      ).rows;
      // It stands down within its lease: nothing is written under its term any more.
      await eventually(async () => (await getJson<ClusterView>(`${url}/api/cluster`)).role === 'standby', 4_000, 'standing down');
      const stoodDownAt = Date.now();
      // It says why.
      const said = await getJson<ClusterView>(`${url}/api/cluster`);
      expect(said.cutOff).toMatch(/history database/);
      // Its health answers promptly all the same: the figures that need the database (the alert
      // counts, its size) are waited for 2 s at most, and the answer says they could not be read.
      const askedAt = Date.now();
      const health = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(8_000) });
      expect(Date.now() - askedAt).toBeLessThan(5_000);
      const healthBody = (await health.json()) as { notify: { problem: string | null } };
      expect(healthBody.notify.problem).toMatch(/outbox not readable: no answer within 2 s/);
      // Meanwhile the primary stops: a failover begins while the history is away.
      await lab.setState('primary', 'stopped');
      const heartbeats = async () =>
        (await db.query<{ n: string }>(`SELECT max(last_seen_at) AS n FROM "${schema.schema}".monitor_runs`)).rows[0]!.n;
      const lastSeen = Number(await heartbeats());
      await new Promise((r) => setTimeout(r, OUTAGE_MS - (Date.now() - cutAt)));
      expect(Number(await heartbeats())).toBe(lastSeen);
      expect(lastSeen).toBeLessThanOrEqual(cutAt + INTERVAL);

      proxy.heal();
      const healedAt = Date.now();
      const back = await eventually(
        async () => {
          const c = await getJson<ClusterView>(`${url}/api/cluster`);
          return c.role === 'leader' ? c : undefined;
        },
        10_000,
        'leading again',
      );
      expect(back.term).toBeGreaterThan(before.term);
      const over = await eventually(
        async () => {
          const s = await getJson<LiveState>(`${url}/api/state`);
          return s.hq.state === 'failing-over' ? s : undefined;
        },
        10_000,
        'the failover recorded once back',
      );
      const incident = over.incident!;
      // The gap came before anyone knew of the incident: it is in the history, not in the incident's timeline.
      // The live state goes out as the round ends, its history a commit later: wait for that commit
      // (behind the last write of the term before, which may still be retried once back).
      const gapRows = async () =>
        (await db.query<{ data: string }>(`SELECT data FROM "${schema.schema}".events WHERE type = 'monitor-gap'`)).rows;
      await eventually(async () => (await gapRows()).length > 0, 25_000, 'the gap committed').catch((err: Error) => {
        throw new Error(`${err.message}; the server said:\n${server!.output().slice(-4_000)}`);
      });
      const gaps = await gapRows();
      expect(gaps).toHaveLength(1);
      const gap = JSON.parse(gaps[0]!.data) as { from: string; to: string; durationMs: number };
      // It runs from the last round the leader ran before it stood down (a write caught in the cut
      // lands once back, under its own term, before the next term is taken) to the first round once
      // back: the whole outage.
      expect(Date.parse(gap.from)).toBeGreaterThanOrEqual(lastSeen);
      expect(Date.parse(gap.from)).toBeLessThanOrEqual(stoodDownAt);
      expect(Date.parse(gap.to)).toBeGreaterThanOrEqual(healedAt);
      // The window is recorded when it was seen, once back: never a failover "seen" during the gap.
      const opened = await eventually(
        async () =>
          (await getJson<IncidentDetail>(`${url}/api/incidents/${incident.id}`).catch(() => null))?.timeline.find(
            (e) => e.type === 'window-opened',
          ),
        10_000,
        'the window in the incident timeline',
      );
      expect(Date.parse(opened.at)).toBeGreaterThanOrEqual(Date.parse(gap.to));

      const after = (
        await db.query<{ id: string; type: string; at: string }>(`SELECT id, type, at FROM "${schema.schema}".events ORDER BY id`)
      ).rows;
      for (const row of committed) expect(after).toContainEqual(row);
      const availability = await getJson<{ gaps: { from: string; to: string }[] }>(
        `${url}/api/availability?from=${encodeURIComponent(new Date(cutAt - 60_000).toISOString())}&to=${encodeURIComponent(new Date().toISOString())}`,
      );
      expect(availability.gaps).toContainEqual({ from: gap.from, to: gap.to });
      console.log(
        `PostgreSQL away ${OUTAGE_MS} ms: leading again ${Date.now() - healedAt} ms after it came back; gap ${gap.durationMs} ms`,
      );
    },
  );
});
