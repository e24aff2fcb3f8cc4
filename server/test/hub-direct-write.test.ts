/**
 * A broadcast written straight to each settled WebSocket (`hub/direct-write.ts`): taken where it
 * may be, not where it may not (long-polling, permessage-deflate), and never changing what a
 * dashboard receives or in what order, state:sync answers included. Real sockets on loopback;
 * scripted probes on octet 49.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyWireDelta, decodeState, type LiveState, type WireDelta } from '@hqwatch/shared';
import type { FrameSocket } from '../src/hub/direct-write.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { connectDashboard, syncWire, type DashboardSocket } from './support/socket.ts';

interface Dashboard {
  socket: DashboardSocket;
  deltas: WireDelta[];
  /** Message packets engine.io built for this dashboard's connection. */
  enginePackets: () => number;
}

async function open(t: TestApp, options: Parameters<typeof connectDashboard>[1] = {}): Promise<Dashboard> {
  const socket = connectDashboard(t.url, options);
  const deltas: WireDelta[] = [];
  socket.on('state:changed', (d) => deltas.push(d));
  await new Promise((resolve) => socket.once('connect', () => resolve(null)));
  const server = [...t.app.io.sockets.sockets.values()].find((s) => s.id === socket.id)!;
  let packets = 0;
  server.conn.on('packetCreate', (p: { type: string }) => {
    if (p.type === 'message') packets += 1;
  });
  return { socket, deltas, enginePackets: () => packets };
}

/** What a dashboard holds: its last sync answer with every later delta applied. */
function held(sync: LiveState, deltas: WireDelta[]): LiveState {
  let state = sync;
  for (const d of deltas) if (d.seq > state.seq) state = applyWireDelta(state, d);
  return state;
}

const consecutive = (deltas: WireDelta[]) => deltas.every((d, i) => i === 0 || d.seq === deltas[i - 1]!.seq + 1);

describe('a broadcast written straight to the WebSocket', () => {
  const config = testConfig(49);
  const primary = config.headquarters.primary.address;
  const probes = scriptedProbes({ [config.headquarters.secondary.address]: true });
  let t: TestApp;
  let deflated: TestApp;
  beforeAll(async () => {
    t = await startTestApp(config, { runProbe: probes.run });
    deflated = await startTestApp(config, { runProbe: probes.run, perMessageDeflate: true });
    for (const app of [t, deflated]) await app.app.monitor.stop();
  });
  afterAll(async () => {
    await t.close();
    await deflated.close();
  });

  it("finds the engine.io and ws parts it reads on a real dashboard's connection", async () => {
    const d = await open(t);
    try {
      const conn = [...t.app.io.sockets.sockets.values()].find((s) => s.id === d.socket.id)!.conn as unknown as FrameSocket['conn'];
      expect(conn.readyState).toBe('open');
      expect(conn.upgrading).toBe(false);
      expect(conn.writeBuffer).toEqual([]);
      expect(conn.transport.name).toBe('websocket');
      expect(conn.transport.socket!.readyState).toBe(1);
      expect(conn.transport.socket!._extensions).toEqual({});
      expect(typeof conn.transport.socket!._sender!.sendFrame).toBe('function');
      expect(conn.transport.socket!._sender!._queue).toEqual([]);
    } finally {
      d.socket.close();
    }
  });

  it('skips engine.io for settled WebSockets only, and every dashboard reads the same changes in order', async () => {
    const ws = await open(t);
    const polling = await open(t, { transports: ['polling'] });
    const compressed = await open(deflated, { perMessageDeflate: { threshold: 0 } } as never);
    const dashboards = [ws, polling];
    try {
      const syncs = await Promise.all(dashboards.map((d) => syncWire(d.socket)));
      const rounds = 6;
      for (let i = 0; i < rounds; i++) {
        probes.set(primary, i % 2 === 1);
        // A sync asked between changes: its answer and the deltas around it must still line up.
        const asked = syncWire(ws.socket);
        await t.app.monitor.runRound();
        await deflated.app.monitor.runRound();
        await asked;
      }
      const seq = t.app.monitor.current().seq;
      await eventually(() => dashboards.every((d) => d.deltas.at(-1)?.seq === seq), 5_000, 'the last change at every dashboard');
      await eventually(() => compressed.deltas.at(-1)?.seq === deflated.app.monitor.current().seq, 5_000, 'the compressed dashboard');
      // Every change written straight to the WebSocket dashboard; engine.io built the rest's.
      expect(ws.enginePackets()).toBe(1 + rounds); // its sync answers only
      expect(polling.enginePackets()).toBe(1 + rounds);
      expect(compressed.enginePackets()).toBe(rounds);
      expect(ws.deltas).toEqual(polling.deltas);
      for (const d of [...dashboards, compressed]) expect(consecutive(d.deltas)).toBe(true);
      for (const [i, d] of dashboards.entries()) expect(held(decodeState(syncs[i]!), d.deltas)).toEqual(t.app.monitor.current());
      expect(held(decodeState(await syncWire(compressed.socket)), [])).toEqual(deflated.app.monitor.current());
    } finally {
      probes.set(primary, true);
      for (const d of [...dashboards, compressed]) d.socket.close();
    }
  });
});
