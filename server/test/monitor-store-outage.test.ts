/**
 * The real app (scripted probes, real scheduler, socket.io) writing to a database that goes away
 * (SQLite refusing writes; PostgreSQL cut off behind a TCP proxy, the service untouched) or turns
 * slow (PostgreSQL, every packet held back): rounds stay on schedule and keep broadcasting, health
 * says what is wrong, and once the database is back everything that happened meanwhile is in the
 * history, once, in order.
 *
 * Loopback octets: 46 (outage, both backends), 47 (slow PostgreSQL). No address is probed for real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HqwatchConfig, IncidentDetail, WireDelta } from '@hqwatch/shared';
import { openPostgresBackend } from '../src/store/backend-postgres.ts';
import { createStore } from '../src/store/store.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { checkService, postgresSchema, SERVICES, type PostgresSchema } from './support/services.ts';
import { connectDashboard, type DashboardSocket } from './support/socket.ts';
import { describeStores, type FaultyStore, type StorePlace } from './support/store-backends.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const postgres = await checkService('postgres');

interface Watched {
  t: TestApp;
  socket: DashboardSocket;
  deltas: WireDelta[];
}

async function watch(config: HqwatchConfig, deps: Parameters<typeof startTestApp>[1]): Promise<Watched> {
  const t = await startTestApp(config, deps);
  const socket = connectDashboard(t.url);
  const deltas: WireDelta[] = [];
  socket.on('state:changed', (d) => deltas.push(d));
  await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
  return { t, socket, deltas };
}

/** Rounds run in `ms` of wall time, and how long the longest took. */
async function roundsDuring(t: TestApp, ms: number): Promise<{ rounds: number; longestMs: number }> {
  const before = t.app.monitor.stats().rounds;
  let longestMs = 0;
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    longestMs = Math.max(longestMs, t.app.monitor.stats().lastRoundMs ?? 0);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { rounds: t.app.monitor.stats().rounds - before, longestMs };
}

const transitions = (detail: IncidentDetail) => detail.timeline.flatMap((e) => (e.type === 'hq-transition' ? [e.to] : []));

describeStores('the monitor while its database is away', (backend) => {
  const config = testConfig(46);
  const interval = config.monitor.interval;
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  let place: StorePlace;
  let faulty: FaultyStore;
  let w: Watched;
  beforeAll(async () => {
    place = await backend.place();
    faulty = await place.openFaulty();
    w = await watch(config, { runProbe: probes.run, store: faulty.store });
  });
  afterAll(async () => {
    w.socket.close();
    await w.t.close(); // closes the store too
    await place.cleanup();
  });

  it('keeps its rounds and broadcasts, reports the outage, and records what happened meanwhile once the database is back', async () => {
    const { t, deltas } = w;
    await faulty.fail();
    probes.set(config.headquarters.primary.address, false);
    await eventually(() => deltas.some((d) => d.hq?.state === 'failing-over'), 10_000, 'failing-over broadcast despite the store');
    probes.set(config.headquarters.secondary.address, true);
    await eventually(() => deltas.some((d) => d.hq?.state === 'secondary-active'), 10_000, 'secondary-active broadcast despite the store');

    // Rounds stay on their interval: the failing writes wait in the queue, not in the round.
    const { rounds, longestMs } = await roundsDuring(t, 10 * interval);
    expect(rounds).toBeGreaterThanOrEqual(6);
    expect(longestMs).toBeLessThan(interval);

    const failing = await eventually(
      () => {
        const m = t.app.monitor.current().monitor;
        return !m.healthy && /History store failing/.test(m.reason ?? '') ? m : undefined;
      },
      10_000,
      'the outage in the live state',
    );
    expect(failing.reason).toMatch(faulty.failure);
    const health = (await (await fetch(`${t.url}/api/health`)).json()) as { status: string; store: { ok: boolean; queued: number } };
    expect(health.status).toBe('degraded');
    expect(health.store.ok).toBe(false);
    expect(health.store.queued).toBeGreaterThan(0);
    // History reads: PostgreSQL away is a 503 to retry; a read-only SQLite file still answers.
    const list = await fetch(`${t.url}/api/incidents`);
    if (backend.name === 'postgres') {
      expect(list.status).toBe(503);
      expect(((await list.json()) as { error: { code: string } }).error.code).toBe('store_unavailable');
    } else expect(list.status).toBe(200);

    await faulty.heal();
    await eventually(() => t.app.monitor.current().monitor.healthy, 15_000, 'the store recovered');
    const recovered = (await (await fetch(`${t.url}/api/health`)).json()) as { store: { ok: boolean; queued: number } };
    expect(recovered.store).toMatchObject({ ok: true, queued: 0 });

    // What happened while the database was away is in the history, once and in order.
    const incident = t.app.monitor.current().incident!.id;
    const detail = (await (await fetch(`${t.url}/api/incidents/${incident}`)).json()) as IncidentDetail;
    expect(transitions(detail)).toEqual(['failing-over', 'secondary-active']);
    expect(detail.timeline.filter((e) => e.type === 'incident-opened')).toHaveLength(1);
    expect(detail.timeline.filter((e) => e.type === 'monitor-gap')).toHaveLength(0);
    const windows = detail.incident.windows;
    expect(windows).toHaveLength(1);
    expect(windows[0]).toMatchObject({ kind: 'failover' });
    expect(windows[0]!.endedAt).not.toBeNull();
  });
});

describe.skipIf(!postgres.available)('the monitor on a slow PostgreSQL', () => {
  const config = testConfig(47);
  const interval = config.monitor.interval;
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  let schema: PostgresSchema;
  let proxy: TcpProxy;
  let w: Watched;
  beforeAll(async () => {
    schema = postgresSchema();
    proxy = await startTcpProxy({ host: '127.0.0.1', port: SERVICES.postgres.port });
    const backend = await openPostgresBackend({ url: schema.url(proxy.port) });
    const store = await createStore(backend, { retentionDays: 90, slowAfterMs: 1_000 });
    w = await watch(config, { runProbe: probes.run, store });
  });
  afterAll(async () => {
    w.socket.close();
    await w.t.close();
    await proxy.close();
    await schema.drop();
  });

  it('keeps rounds on schedule while commits lag, says the database is slow, and lands every write in order', async () => {
    const { t, deltas } = w;
    // Every packet held 250 ms each way: a batch of a dozen statements takes seconds to commit.
    proxy.delay(250);
    probes.set(config.headquarters.primary.address, false);
    await eventually(() => deltas.some((d) => d.hq?.state === 'failing-over'), 10_000, 'failing-over broadcast');
    const { rounds, longestMs } = await roundsDuring(t, 10 * interval);
    // Waiting for each commit would allow one or two rounds here; the budget keeps all of them.
    expect(rounds).toBeGreaterThanOrEqual(6);
    expect(longestMs).toBeLessThan(interval);
    await eventually(
      () => /history database slow/.test(t.app.monitor.current().monitor.reason ?? ''),
      10_000,
      'the slowness in the live state',
    );
    probes.set(config.headquarters.secondary.address, true);
    await eventually(() => deltas.some((d) => d.hq?.state === 'secondary-active'), 10_000, 'secondary-active broadcast');

    proxy.heal();
    await eventually(
      async () => ((await (await fetch(`${t.url}/api/health`)).json()) as { store: { queued: number } }).store.queued === 0,
      30_000,
      'the queue written',
    );
    await eventually(() => t.app.monitor.current().monitor.healthy, 15_000, 'healthy again');
    const incident = t.app.monitor.current().incident!.id;
    const detail = (await (await fetch(`${t.url}/api/incidents/${incident}`)).json()) as IncidentDetail;
    expect(transitions(detail)).toEqual(['failing-over', 'secondary-active']);
    expect(detail.timeline.filter((e) => e.type === 'incident-opened')).toHaveLength(1);
  });
});
