/**
 * The server half of the fan-out benchmark, alone in its process so its CPU and memory are its own.
 * `fanout-server.ts MODE TOPOLOGY HOST`:
 * - `hqwatch`: the real server (createApp, its socket.io hub) with scripted probes, rounds run on demand;
 * - `ws`: the baseline, a bare `ws` server sending the very same frames (socket.io's wire encoding of
 *   the same delta, produced by the same monitor) to each client in a loop.
 *
 * Parent → child: `{ type: 'change' }` stops or restarts the HQ primary and runs rounds until the HQ
 * state changes; the child answers `{ type: 'changed', seq, sentAt, bytes, hq }`, `sentAt` stamped
 * just before the broadcast. `{ type: 'cost', seq }` → `{ type: 'cost', cpuMs }`: CPU since that
 * stamp. `{ type: 'memory' }` → `{ type: 'memory', rssBytes, clients }`.
 */
import { WebSocketServer } from 'ws';
import type { StateDelta } from '@hqwatch/shared';
import { createApp } from '@hqwatch/server/app';
import { demoTopology } from '@hqwatch/server/lab';
import { createLogger } from '@hqwatch/server/logger';
import { LOOPBACK_CROWD_LIMITS, scriptedProbes, steadySelfHealth } from '../lib/app-parts.ts';
import { onParent, tellParent } from '../lib/child.ts';
import { largestTopology, nominalEndpoints, topologyConfig } from '../lib/largest.ts';
import { wallClockMs } from '../lib/stats.ts';

export type FanoutMode = 'hqwatch' | 'ws';
export type FanoutTopology = 'demo' | 'largest';

const [mode, topologyName, host] = process.argv.slice(2) as [FanoutMode, FanoutTopology, string];
const topology = topologyName === 'largest' ? largestTopology(200) : demoTopology(200);
const config = {
  ...topologyConfig(topology, nominalEndpoints(topology), { intervalMs: 60_000, timeoutMs: 1_000, failAfter: 1, recoverAfter: 1 }),
};
// Rounds are run by hand, one change at a time, with a quiet round after each: the primary never
// changes in two consecutive rounds, so it never counts as flapping.
config.monitor = { ...config.monitor, flap: { enter: 100, leave: 100 } };
const primary = config.headquarters.primary.address;
const probes = scriptedProbes([config.headquarters.secondary.address]);
const app = createApp({
  config,
  log: createLogger('silent'),
  runProbe: probes.run,
  selfHealth: steadySelfHealth(),
  limits: LOOPBACK_CROWD_LIMITS,
});

interface Stamp {
  sentAt: number;
  cpu: NodeJS.CpuUsage;
  bytes: number;
}
const stamps = new Map<number, Stamp>();
const stamp = (delta: StateDelta, frame: string): void => {
  stamps.set(delta.seq, { sentAt: wallClockMs(), cpu: process.cpuUsage(), bytes: Buffer.byteLength(frame) });
};
/** socket.io's encoding of an event: packet type 4 (message), 2 (event), then the JSON array. */
const frameOf = (delta: StateDelta) => `42${JSON.stringify(['state:changed', delta])}`;

let countClients: () => number;
if (mode === 'hqwatch') {
  const io = app.io as unknown as { emit(event: string, ...args: unknown[]): boolean };
  const emit = io.emit.bind(io);
  io.emit = (event, ...args) => {
    if (event === 'state:changed') stamp(args[0] as StateDelta, frameOf(args[0] as StateDelta));
    return emit(event, ...args);
  };
  await app.listen(0, host);
  countClients = () => app.io.engine.clientsCount;
} else {
  const wss = new WebSocketServer({ host, port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  app.monitor.subscribe((delta) => {
    const frame = frameOf(delta);
    stamp(delta, frame);
    // The cheapest broadcast there is: encoded once, the same buffer written to every socket.
    const data = Buffer.from(frame);
    for (const client of wss.clients) client.send(data, { binary: false });
  });
  countClients = () => wss.clients.size;
  tellParent({ type: 'address', port: (wss.address() as { port: number }).port });
}
// Rounds are driven by the parent, never by the clock.
await app.monitor.stop();
if (mode === 'hqwatch') tellParent({ type: 'address', port: (app.server.address() as { port: number }).port });

let primaryUp = true;
async function settle(): Promise<void> {
  for (let i = 0; i < 5 && app.monitor.current().hq.state !== 'primary-active'; i++) await app.monitor.runRound();
  if (app.monitor.current().hq.state !== 'primary-active') throw new Error(`no primary-active, got ${app.monitor.current().hq.state}`);
}
await settle();

async function change(): Promise<void> {
  primaryUp = !primaryUp;
  probes.set(primary, primaryUp);
  const before = app.monitor.current().hq.state;
  let state = await app.monitor.runRound();
  for (let i = 0; i < 4 && state.hq.state === before; i++) state = await app.monitor.runRound();
  const s = stamps.get(state.seq);
  if (!s || state.hq.state === before) throw new Error(`HQ state did not change from ${before}`);
  tellParent({ type: 'changed', seq: state.seq, sentAt: s.sentAt, bytes: s.bytes, hq: state.hq.state });
  await app.monitor.runRound();
}

onParent(
  (message) => {
    if (message.type === 'change') change().catch((err: unknown) => tellParent({ type: 'error', error: String(err) }));
    if (message.type === 'cost') {
      const s = stamps.get(Number(message.seq));
      const cpu = s ? process.cpuUsage(s.cpu) : null;
      tellParent({ type: 'cost', cpuMs: cpu ? (cpu.user + cpu.system) / 1000 : null });
    }
    if (message.type === 'memory') tellParent({ type: 'memory', rssBytes: process.memoryUsage().rss, clients: countClients() });
  },
  () => void app.close().finally(() => process.exit(0)),
);
