import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LiveState } from '@hqwatch/shared';
import type { Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';
import { createDriver, runFailoverScenario, scenarioConfig, T0, type ScenarioMoments } from './store-scenario.ts';

const config = scenarioConfig();

/** What replay cannot know: the sequence number and per-sample probe results. */
function comparable(state: LiveState) {
  return { ...state, seq: 0, nodes: state.nodes.map((n) => ({ ...n, probes: [] })) };
}

describeStores('replay of an incident', (backend) => {
  let place: StorePlace;
  let store: Store;
  let m: ScenarioMoments;

  beforeAll(async () => {
    place = await backend.place();
    store = await place.open();
    m = await runFailoverScenario(createDriver(store, config, T0));
  });
  afterAll(async () => {
    await store.close();
    await place.cleanup();
  });

  it('gives at three moments exactly the live state shown then', async () => {
    expect(m.captured.map((s) => s.hq.state)).toEqual(['failing-over', 'failing-over', 'secondary-active']);
    for (const live of m.captured) {
      const replayed = await store.replay(m.incidentId, live.at, config);
      expect(replayed.ok).toBe(true);
      if (replayed.ok) expect(comparable(replayed.state)).toEqual(comparable(live));
    }
  });

  it('between rounds, shows the window still running from its original start', async () => {
    const at = new Date(Date.parse(m.failoverStart) + 90_000).toISOString();
    const replayed = await store.replay(m.incidentId, at, config);
    expect(replayed.ok && replayed.state.hq.window).toMatchObject({
      kind: 'failover',
      startedAt: m.failoverStart,
      elapsedMs: 90_000,
      overrun: false,
    });
    expect(replayed.ok && replayed.state.sites.find((s) => s.id === 'hq')!.services.telephony.status).toBe('down');
  });

  it('refuses a moment outside the incident, saying when the incident ran', async () => {
    const before = await store.replay(m.incidentId, '2026-03-02T07:00:00.000Z', config);
    expect(before).toEqual({ ok: false, reason: 'outside', startedAt: m.failoverStart, endedAt: m.closedAt });
    expect((await store.replay(m.incidentId, '2026-03-02T23:00:00.000Z', config)).ok).toBe(false);
    expect(await store.replay('inc-unknown', m.failoverStart, config)).toEqual({ ok: false, reason: 'not-found' });
  });
});
