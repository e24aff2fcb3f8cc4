/**
 * Leadership on a real PostgreSQL (a schema of its own): instances started at the same moment with
 * the same term race and exactly one wins; the store refuses the writes of an older term; a leader
 * cut off from the database (a TCP proxy black-holes its connections) stands down by itself and a
 * standby takes over once its lease has run out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineCore } from '@hqwatch/shared';
import { createLeadership, type Leadership } from '../src/cluster/leadership.ts';
import { createLogger } from '../src/logger.ts';
import { parsePostgresUrl } from '../src/store/backend-postgres.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { readWriterPosition } from '../src/store/writer.ts';
import { openPostgresBackend } from '../src/store/backend-postgres.ts';
import { eventually } from './support/app.ts';
import { checkService, postgresSchema, SERVICES, type PostgresSchema } from './support/services.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import pg from 'pg';

const postgres = await checkService('postgres');
const log = createLogger('silent');

function member(schema: PostgresSchema, instance: string, events: string[], port?: number, timing = { heartbeatMs: 200, leaseMs: 1_500 }) {
  const target = parsePostgresUrl(schema.url(port));
  return createLeadership({
    pg,
    connection: { connectionString: target.connectionString, schema: target.schema, connectTimeoutMs: 1_000 },
    instance,
    ...timing,
    log,
    onLead: async (term) => void events.push(`${instance} leads ${term}`),
    onStandDown: (reason) => void events.push(`${instance} stands down: ${reason}`),
    view: () => ({ instance }),
    liveState: () => null,
  });
}

describe.skipIf(!postgres.available)('leadership on PostgreSQL', () => {
  let schema: PostgresSchema;
  let store: Store;
  const running: Leadership[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    schema = postgresSchema();
    // The schema and its tables, as a first instance makes them (without the writer lock: instances share it).
    store = await openStore({ kind: 'postgres', url: schema.url(), writer: false, retentionDays: 90 });
  });

  afterAll(async () => {
    await Promise.all(running.map((l) => l.stop()));
    await Promise.all(proxies.map((p) => p.close()));
    await store?.close();
    await schema?.drop();
  });

  it('two instances racing for the same term: exactly one wins, every time', async () => {
    const backend = await openPostgresBackend({ url: schema.url(), writer: false });
    try {
      for (let trial = 0; trial < 10; trial++) {
        const before = (await readWriterPosition(backend.sql)).term;
        const events: string[] = [];
        const pair = [member(schema, `x${trial}`, events), member(schema, `y${trial}`, events)];
        // Both read the same term and try at once.
        await Promise.all(pair.map((l) => l.start()));
        const leaders = pair.filter((l) => l.leading());
        expect(leaders).toHaveLength(1);
        expect(events).toEqual([`${leaders[0]!.status().instance} leads ${before + 1}`]);
        expect(leaders[0]!.term()).toBe(before + 1);
        expect((await readWriterPosition(backend.sql)).term).toBe(before + 1);
        await Promise.all(pair.map((l) => l.stop()));
      }
    } finally {
      await backend.close();
    }
  });

  it('refuses the writes of an older term once a newer one is taken', async () => {
    const events: string[] = [];
    let term = 0;
    const old = await openStore({ kind: 'postgres', url: schema.url(), writer: false, retentionDays: 90, term: () => term });
    try {
      const first = member(schema, 'old', events);
      running.push(first);
      await first.start();
      term = first.term();
      await old.lead();
      const core = (await old.loadLatestCore())?.core ?? ({ hq: { state: 'starting' }, nodes: {} } as unknown as EngineCore);
      await old.heartbeat(new Date().toISOString());
      expect(old.status().ok).toBe(true);
      // A second instance takes a newer term (the old one is still running: think of it as cut off).
      await first.stop();
      const second = member(schema, 'new', events);
      running.push(second);
      await second.start();
      expect(second.term()).toBe(term + 1);
      await old.append([], core, new Date(Date.now() + 1_000).toISOString());
      await old.heartbeat(new Date(Date.now() + 2_000).toISOString());
      await old.flush();
      expect(old.status()).toMatchObject({ ok: false, error: expect.stringMatching(/refused a write of term/) });
      await second.stop();
    } finally {
      await old.close();
    }
  });

  it('a write caught in a cut, refused once back under a newer term, is dropped alone: the new term writes on', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: SERVICES.postgres.port });
    proxies.push(proxy);
    const events: string[] = [];
    let term = 0;
    const cut = await openStore({ kind: 'postgres', url: schema.url(proxy.port), writer: false, retentionDays: 90, term: () => term });
    let second: Leadership | null = null;
    try {
      const first = member(schema, 'first', events);
      running.push(first);
      await first.start();
      term = first.term();
      await cut.lead();
      const at = Date.now();
      await cut.heartbeat(new Date(at).toISOString());
      expect(cut.status().ok).toBe(true);
      // The cable is cut while a write is on its way; the leader stands down and a new term is taken.
      proxy.blackhole();
      void cut.heartbeat(new Date(at + 1_000).toISOString());
      cut.standDown();
      await first.stop();
      second = member(schema, 'second', events);
      running.push(second);
      await second.start();
      // Back, this instance leads again under that newer term the moment the cable heals: the write
      // caught in the cut is still on its way then, and is refused when it arrives.
      proxy.heal();
      term = second.term();
      await cut.lead();
      await cut.heartbeat(new Date(at + 2_000).toISOString());
      await cut.flush();
      expect(cut.status()).toEqual({ ok: true, queued: 0 });
      // Its heartbeat landed under the new term.
      const backend = await openPostgresBackend({ url: schema.url(), writer: false });
      try {
        expect((await readWriterPosition(backend.sql)).term).toBe(term);
        const seen = await backend.sql.get<{ at: string }>('SELECT max(last_seen_at) AS at FROM monitor_runs');
        expect(Number(seen!.at)).toBe(at + 2_000);
      } finally {
        await backend.close();
      }
    } finally {
      await second?.stop();
      await cut.close();
    }
  });

  it('a leader cut off from the database stands down within its lease; a standby takes over after it', async () => {
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: SERVICES.postgres.port });
    proxies.push(proxy);
    const events: string[] = [];
    const cut = member(schema, 'cut', events, proxy.port);
    const other = member(schema, 'other', events);
    running.push(cut, other);
    await cut.start();
    expect(cut.leading()).toBe(true);
    await other.start();
    expect(other.leading()).toBe(false);

    // The leader's host vanishes: its session lives on in PostgreSQL, holding the lock, until a standby ends it.
    proxy.hostCut();
    const cutAt = Date.now();
    await eventually(() => !cut.leading(), 3_000, 'the cut leader stands down');
    const stoodDownMs = Date.now() - cutAt;
    await eventually(() => other.leading(), 10_000, 'the standby takes over');
    const tookOverMs = Date.now() - cutAt;
    // The old leader stood down before the other could lead: never two leaders at once.
    expect(stoodDownMs).toBeLessThan(tookOverMs);
    // Only once the leader's heartbeat was older than the lease (1.5 s) was its session ended.
    expect(tookOverMs).toBeGreaterThanOrEqual(1_500);
    expect(other.term()).toBeGreaterThan(cut.status().term);
    proxy.heal();
    // Back on the network it stays a standby: the lock is the other's.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(cut.leading()).toBe(false);
    expect(other.leading()).toBe(true);
    console.log(`cut leader stood down after ${stoodDownMs} ms; standby led after ${tookOverMs} ms`);
  });
});
