/**
 * A node of the web-nodes benchmark, alone in its process: `webnodes-server.ts ROLE HOST PREFIX`.
 * - `leader`: the real server (createApp) with scripted probes and a leadership that always holds
 *   (no PostgreSQL needed to measure fan-out), publishing through Redis (`fanout`, prefix PREFIX);
 *   rounds run on demand as in the fan-out benchmark: `{ type: 'change' }` → `{ type: 'changed',
 *   seq, sentAt }`, `sentAt` stamped just before the broadcast.
 * - `web`: `serve --role web` as an app: no probing, dashboards fed by the Redis Streams adapter.
 * Both answer `{ type: 'memory' }` with `{ type: 'memory', rssBytes, clients }`.
 */
import type { WireDelta } from '@hqwatch/shared';
import { createApp } from '@hqwatch/server/app';
import { createRedisFanout } from '@hqwatch/server/cluster/fanout-redis';
import { demoTopology } from '@hqwatch/server/lab';
import { createLogger } from '@hqwatch/server/logger';
import { LOOPBACK_CROWD_LIMITS, scriptedProbes, steadySelfHealth } from '../lib/app-parts.ts';
import { onParent, tellParent } from '../lib/child.ts';
import { nominalEndpoints, topologyConfig } from '../lib/largest.ts';
import { wallClockMs } from '../lib/stats.ts';

const [role, host, prefix] = process.argv.slice(2) as ['leader' | 'web', string, string];
const topology = demoTopology(200);
const config = {
  ...topologyConfig(topology, nominalEndpoints(topology), { intervalMs: 60_000, timeoutMs: 1_000, failAfter: 1, recoverAfter: 1 }),
};
config.monitor = { ...config.monitor, flap: { enter: 100, leave: 100 } };
const primary = config.headquarters.primary.address;
const probes = scriptedProbes([config.headquarters.secondary.address]);
const log = createLogger('silent');
const fanout = await createRedisFanout({ url: 'redis://127.0.0.1:6379', prefix, log });
const instance = `${role}-${process.pid}`;
const app = createApp({
  config,
  log,
  runProbe: probes.run,
  selfHealth: steadySelfHealth(),
  limits: LOOPBACK_CROWD_LIMITS,
  cluster:
    role === 'leader'
      ? {
          role: 'pair',
          instance,
          fanout,
          leadership: (hooks) => {
            const status = {
              instance,
              role: 'leader' as const,
              term: 1,
              leader: instance,
              heartbeatAt: null,
              checkedAt: null,
              problem: null,
            };
            return {
              start: () => hooks.onLead(1),
              leading: () => true,
              term: () => 1,
              status: () => status,
              stop: async () => undefined,
            };
          },
        }
      : { role: 'web', instance, fanout },
});

const stamps = new Map<number, number>();
const io = app.io as unknown as { emit(event: string, ...args: unknown[]): boolean };
const emit = io.emit.bind(io);
io.emit = (event, ...args) => {
  if (event === 'state:changed') stamps.set((args[0] as WireDelta).seq, wallClockMs());
  return emit(event, ...args);
};
await app.listen(0, host);
await app.monitor.stop();
tellParent({ type: 'address', port: (app.server.address() as { port: number }).port });

let primaryUp = true;
if (role === 'leader') {
  for (let i = 0; i < 5 && app.monitor.current().hq.state !== 'primary-active'; i++) await app.monitor.runRound();
}

async function change(): Promise<void> {
  primaryUp = !primaryUp;
  probes.set(primary, primaryUp);
  const before = app.monitor.current().hq.state;
  let state = await app.monitor.runRound();
  for (let i = 0; i < 4 && state.hq.state === before; i++) state = await app.monitor.runRound();
  const sentAt = stamps.get(state.seq);
  if (sentAt === undefined || state.hq.state === before) throw new Error(`HQ state did not change from ${before}`);
  tellParent({ type: 'changed', seq: state.seq, sentAt });
  await app.monitor.runRound();
}

onParent(
  (message) => {
    if (message.type === 'change') change().catch((err: unknown) => tellParent({ type: 'error', error: String(err) }));
    if (message.type === 'memory') tellParent({ type: 'memory', rssBytes: process.memoryUsage().rss, clients: app.io.engine.clientsCount });
  },
  () => void app.close().finally(() => process.exit(0)),
);
