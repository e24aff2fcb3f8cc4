/**
 * A monitor pair on one PostgreSQL schema, as real `hqwatch serve` processes against a lab on
 * loopback: one leads, the other probes and serves the leader's state. The leader is killed with
 * SIGKILL in the middle of a failover window: the standby takes over within 10 s, continues the
 * same incident and window from the store, and the incident's timeline has one gap, as long as the
 * measured takeover, and nothing twice.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, IncidentList, LiveState } from '@hqwatch/shared';
import { parsePostgresUrl } from '../src/store/backend-postgres.ts';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { eventually } from './support/app.ts';
import { getJson, serveProcess, type ClusterView, type ServeProcess } from './support/serve-process.ts';
import { checkService, postgresSchema, type PostgresSchema } from './support/services.ts';

const postgres = await checkService('postgres');
const OCTET = 141;
const INTERVAL = 300;

const quietly = async <T>(read: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await read();
  } catch {
    return undefined;
  }
};

describe.skipIf(!postgres.available)('a monitor pair: kill -9 the leader in the middle of a failover window', () => {
  let lab: Lab;
  let schema: PostgresSchema;
  let dir: string;
  const servers: ServeProcess[] = [];
  const configOf = (instance: string) => path.join(dir, `${instance}.yaml`);

  beforeAll(async () => {
    schema = postgresSchema();
    dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-ha-'));
    const topology = smallTopology(OCTET);
    lab = await startLab(topology);
    const settings = {
      intervalMs: INTERVAL,
      timeoutMs: 250,
      failAfter: 2,
      recoverAfter: 2,
      expectedWindow: { minMs: 5_000, maxMs: 60_000 },
    };
    for (const instance of ['a', 'b'])
      writeFileSync(
        configOf(instance),
        JSON.stringify({
          ...labConfig(topology, lab, settings),
          store: { kind: 'postgres', url: schema.url() },
          ha: { instance, heartbeat: '500ms', lease: '3s' },
        }),
      );
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.kill()));
    await lab?.close();
    await schema?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the standby takes over within 10 s, continues the same window, records one gap and nothing twice', async () => {
    const a = await serveProcess(configOf('a'), path.join(dir, 'a'));
    servers.push(a);
    await eventually(async () => (await getJson<ClusterView>(`${a.url}/api/cluster`)).role === 'leader', 10_000, 'a leads');
    const b = await serveProcess(configOf('b'), path.join(dir, 'b'));
    servers.push(b);
    const standby = await getJson<ClusterView>(`${b.url}/api/cluster`);
    expect(standby).toMatchObject({ role: 'standby', leader: 'a' });

    // The standby serves the leader's state (read from the store: no Redis configured).
    await eventually(
      async () => (await getJson<LiveState>(`${b.url}/api/state`)).hq.state === 'primary-active',
      15_000,
      'b sees primary-active',
    );
    await lab.setState('primary', 'stopped');
    const over = await eventually(
      async () => {
        const s = await getJson<LiveState>(`${b.url}/api/state`);
        return s.hq.state === 'failing-over' ? s : undefined;
      },
      15_000,
      'failing-over on the standby',
    );
    const { term: firstTerm } = await getJson<ClusterView>(`${a.url}/api/cluster`);
    const window = over.hq.window!;
    const incident = over.incident!;
    // A few rounds inside the window, committed by the leader.
    await new Promise((r) => setTimeout(r, 4 * INTERVAL));
    const committed = await getJson<IncidentDetail>(`${a.url}/api/incidents/${incident.id}`);
    const lastBeforeKill = await getJson<LiveState>(`${a.url}/api/state`);

    await a.kill();
    const killedAt = Date.now();
    const took = await eventually(
      async () => {
        const c = await quietly(() => getJson<ClusterView>(`${b.url}/api/cluster`));
        return c?.role === 'leader' ? c : undefined;
      },
      10_000,
      'b leads',
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(10_000);
    expect(took.term).toBeGreaterThan(firstTerm);

    const during = await eventually(
      async () => {
        const s = await getJson<LiveState>(`${b.url}/api/state`);
        return s.seq > lastBeforeKill.seq && Date.parse(s.at) > killedAt ? s : undefined;
      },
      10_000,
      "a round of b's leadership",
    );
    expect(during.incident).toEqual(incident);
    expect(during.hq).toMatchObject({ state: 'failing-over', window: { kind: 'failover', startedAt: window.startedAt } });

    await lab.setState('secondary', 'serving');
    await eventually(
      async () => (await getJson<LiveState>(`${b.url}/api/state`)).hq.state === 'secondary-active',
      15_000,
      'secondary-active',
    );

    const list = await getJson<IncidentList>(`${b.url}/api/incidents`);
    expect(list.incidents.map((i) => i.id)).toEqual([incident.id]);
    const [failover] = list.incidents[0]!.windows;
    expect(failover).toMatchObject({ kind: 'failover', startedAt: window.startedAt });
    expect(failover!.durationMs).toBe(Date.parse(failover!.endedAt!) - Date.parse(window.startedAt));

    const detail = await getJson<IncidentDetail>(`${b.url}/api/incidents/${incident.id}`);
    const gaps = detail.timeline.filter((e) => e.type === 'monitor-gap');
    expect(gaps).toHaveLength(1);
    const gap = gaps[0]!;
    if (gap.type !== 'monitor-gap') throw new Error('not a gap');
    // The one gap: from the dead leader's last committed round to the standby's first, the takeover.
    expect(Date.parse(gap.from)).toBeGreaterThanOrEqual(Date.parse(lastBeforeKill.at) - INTERVAL);
    expect(Date.parse(gap.from)).toBeLessThanOrEqual(killedAt);
    // …and its end is the new leader's first committed round: the takeover as measured from the kill.
    const firstWriteMs = Date.parse(gap.to) - killedAt;
    expect(firstWriteMs).toBeGreaterThan(0);
    expect(firstWriteMs).toBeLessThan(10_000);
    expect(gap.durationMs).toBe(Date.parse(gap.to) - Date.parse(gap.from));
    for (const entry of committed.timeline) expect(detail.timeline).toContainEqual(entry);
    const kinds = detail.timeline.map((e) => e.type);
    for (const once of ['incident-opened', 'window-opened', 'window-closed'] as const)
      expect(kinds.filter((k) => k === once)).toHaveLength(1);
    expect(kinds.indexOf('monitor-gap')).toBeGreaterThan(kinds.indexOf('window-opened'));
    expect(kinds.indexOf('monitor-gap')).toBeLessThan(kinds.indexOf('window-closed'));

    // Every event carries the term it was written under: the first leader's before the gap, the new one's after.
    const client = new pg.Client({ connectionString: parsePostgresUrl(schema.url()).connectionString });
    await client.connect();
    try {
      const rows = await client.query<{ type: string; term: string }>(
        `SELECT type, term FROM "${schema.schema}".events WHERE incident_id = $1 ORDER BY id`,
        [incident.id],
      );
      const terms = rows.rows.map((r) => [r.type, Number(r.term)] as const);
      const at = terms.findIndex(([type]) => type === 'monitor-gap');
      expect(terms.slice(0, at).every(([, t]) => t === firstTerm)).toBe(true);
      expect(terms.slice(at).every(([, t]) => t === took.term)).toBe(true);
    } finally {
      await client.end();
    }
    console.log(
      `kill -9 → standby leads ${takeoverMs} ms, → its first committed round ${firstWriteMs} ms; gap recorded ${gap.durationMs} ms`,
    );
  });
});
