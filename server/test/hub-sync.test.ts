import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWireDelta, decodeState, type LiveState, type WireDelta } from '@hqwatch/shared';
import { scriptedProbes } from './support/fake-probes.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { connectDashboard, syncWire, type DashboardSocket } from './support/socket.ts';

type ClientSocket = DashboardSocket;

/** The full state as a dashboard holds it: the wire decoded, reasons worded. */
const sync = async (socket: ClientSocket): Promise<LiveState> => decodeState(await syncWire(socket));

describe('live state over socket.io', () => {
  let t: TestApp;
  const config = testConfig(42);
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: false });
  beforeAll(async () => {
    t = await startTestApp(config, { runProbe: probes.run });
  });
  afterAll(() => t.close());

  it('state:sync answers with the same snapshot as GET /api/state', async () => {
    const socket: ClientSocket = connectDashboard(t.url);
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
    const viaSocket = await sync(socket);
    const viaRest = (await (await fetch(`${t.url}/api/state`)).json()) as LiveState;
    expect(viaSocket.seq).toBeLessThanOrEqual(viaRest.seq);
    expect(viaSocket.nodes.map((n) => n.status)).toEqual(viaRest.nodes.map((n) => n.status));
    socket.close();
  });

  it('every event carries a seq one above the previous, and a round with no change sends no site', async () => {
    await eventually(() => t.app.monitor.current().hq.state === 'primary-active', 10_000, 'primary-active');
    const socket: ClientSocket = connectDashboard(t.url);
    const deltas: WireDelta[] = [];
    socket.on('state:changed', (d) => deltas.push(d));
    await eventually(() => deltas.length >= 4, 10_000, 'four deltas');
    for (let i = 1; i < deltas.length; i++) expect(deltas[i]!.seq).toBe(deltas[i - 1]!.seq + 1);
    expect(deltas.every((d) => d.sites === undefined)).toBe(true);
    socket.close();
  });

  it('a client that misses events detects the seq gap, resyncs and ends with the state of GET /api/state', async () => {
    const socket: ClientSocket = connectDashboard(t.url);
    let state = await sync(socket);
    let dropped = 0;
    let resyncs = 0;
    socket.on('state:changed', async (delta) => {
      // Lose two events on purpose, as a flaky network would.
      if (dropped < 2 && resyncs === 0) {
        dropped += 1;
        return;
      }
      if (delta.seq <= state.seq) return;
      if (delta.seq !== state.seq + 1) {
        resyncs += 1;
        state = await sync(socket);
        return;
      }
      state = applyWireDelta(state, delta);
    });
    // Take the primary's services away while events are lost, so the resync has real change to carry.
    probes.set(config.headquarters.primary.address, false);
    await eventually(() => resyncs > 0 && state.hq.state === 'failing-over', 15_000, 'a resync and the failover');
    probes.set(config.headquarters.primary.address, true);
    await eventually(() => state.hq.state === 'primary-active', 15_000, 'the way back');
    // Stop the rounds so the client and the REST answer can be compared at one seq.
    await t.app.monitor.stop();
    await eventually(() => state.seq === t.app.monitor.current().seq, 5_000, 'the last event');
    const rest = (await (await fetch(`${t.url}/api/state`)).json()) as LiveState;
    expect(dropped).toBe(2);
    expect(resyncs).toBeGreaterThan(0);
    expect(state).toEqual(rest);
    socket.close();
  });
});
