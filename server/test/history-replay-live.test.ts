/**
 * The real monitor and store watching simulated servers: the replay of an incident at three
 * moments is what `/api/state` said at those moments.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { validateConfig, type HqState, type LiveState } from '@hqwatch/shared';
import { labConfig, smallTopology, startLab, type Lab } from '../src/lab/index.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

const INTERVAL = 300;

/** What replay cannot know: the sequence number and each round's probe results. */
function comparable(state: LiveState) {
  return { ...state, seq: 0, nodes: state.nodes.map((n) => ({ ...n, probes: [] })), monitor: { ...state.monitor, reason: undefined } };
}

describeStores('replay against the live state', (backend) => {
  let lab: Lab;
  let place: StorePlace;
  let t: TestApp;

  beforeAll(async () => {
    place = await backend.place();
    const topology = smallTopology(58);
    lab = await startLab(topology);
    const checked = validateConfig(
      labConfig(topology, lab, {
        intervalMs: INTERVAL,
        timeoutMs: 250,
        failAfter: 2,
        recoverAfter: 2,
        expectedWindow: { minMs: 5_000, maxMs: 60_000 },
      }),
    );
    if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
    t = await startTestApp(checked.config, { store: await place.open() });
  });
  afterAll(async () => {
    await t.close(); // closes the store too
    await lab.close();
    await place.cleanup();
  });

  const state = async () => (await (await fetch(`${t.url}/api/state`)).json()) as LiveState;
  const reach = (hq: HqState, after = 0) =>
    eventually(async () => ((s) => (s.hq.state === hq && Date.parse(s.at) > after ? s : undefined))(await state()), 15_000, hq);

  it('gives at three moments of a failover exactly what /api/state said then', async () => {
    await reach('primary-active');
    await lab.setState('primary', 'stopped');
    const opened = await reach('failing-over');
    const later = await reach('failing-over', Date.parse(opened.at) + 2 * INTERVAL);
    await lab.setState('secondary', 'serving');
    const failedOver = await reach('secondary-active');

    const incident = opened.incident!.id;
    expect(later.incident?.id).toBe(incident);
    for (const live of [opened, later, failedOver]) {
      const res = await fetch(`${t.url}/api/incidents/${incident}/replay?at=${encodeURIComponent(live.at)}`);
      expect(res.status).toBe(200);
      expect(comparable((await res.json()) as LiveState)).toEqual(comparable(live));
    }
    expect(later.hq.window!.elapsedMs).toBeGreaterThan(opened.hq.window!.elapsedMs);
    expect(failedOver.sites.every((s) => s.callManagerAddress === failedOver.hq.activeAddress)).toBe(true);
  });
});
