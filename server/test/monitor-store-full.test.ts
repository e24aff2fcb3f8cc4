import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireDelta } from '@hqwatch/shared';
import { sqliteBackend } from '../src/store/backend-sqlite.ts';
import { openDatabase } from '../src/store/database.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { connectDashboard } from './support/socket.ts';
import { tempDataDir } from './store-scenario.ts';

describe('the monitor on a full disk', () => {
  const config = testConfig(45);
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  const tmp = tempDataDir();
  const db = openDatabase(tmp.dir);
  let store: Store;
  let t: TestApp;
  beforeAll(async () => {
    store = await createStore(sqliteBackend(db, { checkpointIntervalMs: 60_000 }), { retentionDays: 90 });
    t = await startTestApp(config, { runProbe: probes.run, store });
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
  });
  afterAll(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('keeps monitoring and broadcasting, reports the store failure in /api/health and the live state, and recovers', async () => {
    const socket = connectDashboard(t.url);
    const deltas: WireDelta[] = [];
    socket.on('state:changed', (d) => deltas.push(d));
    probes.set(config.headquarters.primary.address, false);
    await eventually(() => t.app.monitor.current().hq.state === 'failing-over', 10_000, 'failing-over');
    // No page beyond those the file has now: a write that needs space fails with SQLITE_FULL, and
    // every later batch queues behind it.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const incidentId = t.app.monitor.current().incident!.id;
    const now = new Date().toISOString();
    const bulky = Array.from({ length: 50 }, (_, i) => ({
      type: 'annotation' as const,
      at: now,
      incidentId,
      id: `n${i}`,
      text: 'x'.repeat(4000),
      createdAt: now,
    }));
    await expect(
      store.append(bulky, { hq: { state: 'failing-over', since: now, window: null, incident: null }, nodes: {} }, now),
    ).resolves.toBeUndefined();
    // The monitor goes on: the secondary takes over and clients hear of it.
    probes.set(config.headquarters.secondary.address, true);
    await eventually(() => deltas.some((d) => d.hq?.state === 'secondary-active'), 10_000, 'secondary-active broadcast despite the store');
    const failing = await eventually(
      () => {
        const m = t.app.monitor.current().monitor;
        return !m.healthy && /store/i.test(m.reason ?? '') ? m : undefined;
      },
      10_000,
      'the store failure in the live state',
    );
    expect(failing.reason).toMatch(/retrying/);
    const health = (await (await fetch(`${t.url}/api/health`)).json()) as { status: string; store: { ok: boolean; error?: string } };
    expect(health.status).toBe('degraded');
    expect(health.store.ok).toBe(false);

    db.pragma('max_page_count = 1073741823');
    await eventually(() => t.app.monitor.current().monitor.healthy, 10_000, 'the store recovered');
    const recovered = (await (await fetch(`${t.url}/api/health`)).json()) as { store: { ok: boolean } };
    expect(recovered.store.ok).toBe(true);
    socket.close();
  });
});
