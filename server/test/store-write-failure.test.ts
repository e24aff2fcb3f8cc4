/**
 * A database that refuses writes for a while (SQLite: a read-only connection; PostgreSQL: cut off
 * through a TCP proxy, the service itself untouched), then comes back: nothing committed is lost,
 * the monitor never sees an exception, health says so meanwhile, and what waited lands in order.
 */
import { afterEach, expect, it } from 'vitest';
import type { EngineCore, HistoryEvent } from '@hqwatch/shared';
import { createRecorder, type Write } from '../src/store/recorder.ts';
import { createStore, type Store } from '../src/store/store.ts';
import { StaleWriterError } from '../src/store/writer.ts';
import { eventually } from './support/app.ts';
import { describeStores, STORE_DEFAULTS, type StorePlace } from './support/store-backends.ts';
import { scenarioConfig } from './store-scenario.ts';

const INCIDENT = 'inc-20260302T080000000Z';
const core: EngineCore = {
  hq: {
    state: 'failing-over',
    since: '2026-03-02T08:00:00.000Z',
    window: null,
    incident: { id: INCIDENT, startedAt: '2026-03-02T08:00:00.000Z', normalRounds: 0 },
  },
  nodes: {},
};
const opened: HistoryEvent = { type: 'incident-opened', at: at(0), incidentId: INCIDENT, startedAt: at(0) };

function at(second: number): string {
  return new Date(Date.parse('2026-03-02T08:00:00.000Z') + second * 1000).toISOString();
}

function note(second: number): HistoryEvent {
  return { type: 'annotation', at: at(second), incidentId: INCIDENT, id: `n${second}`, text: `round ${second}`, createdAt: at(second) };
}

describeStores('a database that fails and comes back', (backend) => {
  let place: StorePlace | null = null;
  afterEach(async () => {
    await place?.cleanup();
    place = null;
  });

  const notes = async (store: Pick<Store, 'incidentDetail'>) =>
    ((await store.incidentDetail(INCIDENT, scenarioConfig()))?.timeline ?? []).flatMap((e) => (e.type === 'annotation' ? [e.id] : []));

  it('never rejects into the monitor, says so in health, keeps every batch and writes them in order once back', async () => {
    place = await backend.place();
    const faulty = await place.openFaulty();
    const { store } = faulty;
    await store.append([opened, note(1)], core, at(1));
    await faulty.fail();

    for (let s = 2; s <= 6; s++) {
      await expect(store.append([note(s)], core, at(s))).resolves.toBeUndefined();
      await expect(store.heartbeat(at(s))).resolves.toBeUndefined();
      expect(() => store.recordProbes('primary', [{ kind: 'tcp', target: '10.1.0.10:4308', ok: true, latencyMs: 1 }], at(s))).not.toThrow();
    }
    const failing = await store.health();
    expect(failing).toMatchObject({ ok: false, queued: expect.any(Number) });
    expect(failing.error).toMatch(faulty.failure);
    expect(failing.queued).toBeGreaterThanOrEqual(5);
    expect(store.status().ok).toBe(false);

    await faulty.heal();
    await store.append([note(7)], core, at(7));
    // Everything that waited lands, in order, before or with the next round's batch.
    await eventually(async () => (await store.health()).queued === 0, 15_000, 'the queue written');
    await eventually(() => store.status().ok, 15_000, 'the store healthy again');
    expect(await notes(store)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    await faulty.close();

    // Reopened, the history is the same: nothing committed twice or lost.
    const again = await place.open();
    expect(await notes(again)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7']);
    const gaps = (await again.incidentDetail(INCIDENT, scenarioConfig()))!.timeline.filter((e) => e.type === 'monitor-gap');
    expect(gaps).toEqual([]);
    await again.close();
  });

  it('drops the oldest batches past the queue bound and says how many', async () => {
    place = await backend.place();
    const faulty = await place.openFaulty({ maxQueued: 3, closeTimeoutMs: 500 });
    await faulty.store.append([opened], core, at(0));
    await faulty.fail();
    for (let s = 1; s <= 12; s++) await faulty.store.append([note(s)], core, at(s));
    const health = await faulty.store.health();
    expect(health.queued).toBe(3);
    expect(health.error).toMatch(/batches dropped/);
    await faulty.heal();
    await faulty.close();
  });

  it('applies a retried write that had in fact committed only once', async () => {
    place = await backend.place();
    const { sql, close } = await place.openBackend();
    const recorder = createRecorder(sql);
    const write: Write = {
      kind: 'batch',
      events: [opened, note(1)],
      atMs: Date.parse(at(1)),
      snapshot: null,
      incidentId: INCIDENT,
      at: { term: 0, seq: 1 },
    };
    await recorder.write(write);
    // Its COMMIT went through but the answer was lost: the queue tries it again.
    await recorder.write(write);
    await recorder.write({ ...write, events: [note(2)], atMs: Date.parse(at(2)), at: { term: 0, seq: 2 } });
    const rows = await sql.all<{ type: string }>('SELECT type FROM events ORDER BY id');
    expect(rows.map((r) => r.type)).toEqual(['incident-opened', 'annotation', 'annotation']);
    expect(await sql.get('SELECT term, seq FROM store_writer')).toEqual({ term: 0, seq: 2 });
    await close();
  });

  it('refuses writes from an older term: the writer stops instead of retrying, and says why', async () => {
    place = await backend.place();
    const backendOnly = await place.openBackend();
    // Another instance has taken over the store under term 3.
    await backendOnly.sql.run('UPDATE store_writer SET term = 3 WHERE id = 1');
    const recorder = createRecorder(backendOnly.sql);
    await expect(
      recorder.write({ kind: 'heartbeat', atMs: Date.parse(at(1)), incidentId: null, at: { term: 2, seq: 99 } }),
    ).rejects.toBeInstanceOf(StaleWriterError);

    const store = await createStore(backendOnly, { ...STORE_DEFAULTS, term: () => 2 });
    await expect(store.append([opened], core, at(1))).resolves.toBeUndefined();
    await expect(store.append([note(2)], core, at(2))).resolves.toBeUndefined();
    expect(store.status()).toEqual({ ok: false, error: 'refused a write of term 2: the store is held by term 3', queued: 0 });
    expect(await notes(store)).toEqual([]);
    await store.close();
  });
});
