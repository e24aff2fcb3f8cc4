import { afterEach, describe, expect, it } from 'vitest';
import type { EngineCore, HistoryEvent } from '@hqwatch/shared';
import { sqliteBackend } from '../src/store/backend-sqlite.ts';
import { openDatabase } from '../src/store/database.ts';
import { createStore } from '../src/store/store.ts';
import { scenarioConfig, tempDataDir } from './store-scenario.ts';

let cleanup = () => {};
afterEach(() => cleanup());

const OPTS = { retentionDays: 90 };
const backend = (db: ReturnType<typeof openDatabase>) => sqliteBackend(db, { checkpointIntervalMs: 60_000 });

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

function at(second: number): string {
  return new Date(Date.parse('2026-03-02T08:00:00.000Z') + second * 1000).toISOString();
}

/** A bulky event so that each batch needs fresh pages. */
function note(second: number): HistoryEvent {
  return {
    type: 'annotation',
    at: at(second),
    incidentId: INCIDENT,
    id: `n${second}`,
    text: `round ${second} ${'x'.repeat(3000)}`,
    createdAt: at(second),
  };
}

describe('a full disk while writing', () => {
  it('never rejects into the monitor, reports the failure, keeps the batches and writes them in order once there is room', async () => {
    const tmp = tempDataDir();
    cleanup = tmp.cleanup;
    const db = openDatabase(tmp.dir);
    const store = await createStore(backend(db), OPTS);
    await store.append([{ type: 'incident-opened', at: at(0), incidentId: INCIDENT, startedAt: at(0) }], core, at(0));
    // No page beyond those the file has now: the next writes that need space fail with SQLITE_FULL.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    let second = 1;
    for (; second < 200 && store.status().ok; second++)
      await expect(store.append([note(second)], core, at(second))).resolves.toBeUndefined();
    const failing = await store.health();
    expect(failing.ok).toBe(false);
    expect(failing.error).toMatch(/full/i);
    // While failing, the monitor goes on: more rounds, heartbeats and probe results are accepted.
    for (const extra of [second, second + 1]) {
      await expect(store.append([note(extra)], core, at(extra))).resolves.toBeUndefined();
      await expect(store.heartbeat(at(extra))).resolves.toBeUndefined();
      expect(() =>
        store.recordProbes('primary', [{ kind: 'tcp', target: '10.1.0.10:4308', ok: true, latencyMs: 1 }], at(extra)),
      ).not.toThrow();
    }
    expect((await store.health()).queued).toBeGreaterThanOrEqual(3);

    // Room again: the next round writes everything that waited, then itself.
    db.pragma('max_page_count = 1000000');
    await store.append([note(second + 2)], core, at(second + 2));
    expect(await store.health()).toMatchObject({ ok: true, queued: 0 });
    expect((await store.health()).error).toBeUndefined();

    const written = (await store.incidentDetail(INCIDENT, scenarioConfig()))!.timeline.filter((e) => e.type === 'annotation');
    const expected = Array.from({ length: second + 2 }, (_, i) => `n${i + 1}`);
    expect(written.map((e) => e.type === 'annotation' && e.id)).toEqual(expected);
    await store.close();
  });

  it('drops the oldest batches past the queue bound and says how many', async () => {
    const tmp = tempDataDir();
    cleanup = tmp.cleanup;
    const db = openDatabase(tmp.dir);
    const store = await createStore(backend(db), { ...OPTS, maxQueued: 3, closeTimeoutMs: 200 });
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    for (let s = 1; s <= 40; s++) await store.append([note(s)], core, at(s));
    const health = await store.health();
    expect(health.queued).toBe(3);
    expect(health.error).toMatch(/batches dropped/);
    await store.close();
  });
});
