import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Env, HqwatchConfig, WindowHistory } from '@hqwatch/shared';
import { mountApi } from './api/routes.ts';
import { createHub, type Hub, type HqwatchIo } from './hub/hub.ts';
import { httpEdge } from './http/edge.ts';
import { staticFiles } from './http/static-files.ts';
import type { Logger } from './logger.ts';
import { systemClock, type Clock } from './monitor/clock.ts';
import { createMonitor, type Monitor } from './monitor/monitor.ts';
import { createNotifier, type Notifier } from './notify/notifier.ts';
import { createSelfHealth, type SelfHealth } from './monitor/self-health.ts';
import { runProbe as realRunProbe } from './probes/index.ts';
import { createStatusDbPoller, type StatusDbPoller } from './statusdb/poller.ts';
import type { StoredCore } from './store/snapshots.repository.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  config: HqwatchConfig;
  log: Logger;
  clock?: Clock;
  runProbe?: typeof realRunProbe;
  /** History store; without one nothing is kept and the history routes answer 404. */
  store?: Store | null;
  /** The stored engine core to continue from (`await store.loadLatestCore()`): the same incident and window go on. */
  resume?: StoredCore | null;
  /**
   * Durations of past windows for the ETA (`await store.windowDurations()`), so the first round has
   * them; without them the monitor reads them from the store in the background.
   */
  windowHistory?: WindowHistory;
  /** Directory of the built client; null serves the API only. */
  clientDir?: string | null;
  selfHealth?: SelfHealth;
  /** Extra operator tokens (from HQWATCH_OPERATOR_TOKEN). */
  envOperatorToken?: string;
  /** Password of the status database's read-only user (from HQWATCH_STATUSDB_PASSWORD). */
  statusDbPassword?: string;
  /** Where alert channels' `${ENV:NAME}` secrets are read from; process.env when absent. */
  env?: Env;
}

export interface HqwatchApp {
  app: Koa;
  server: HttpServer;
  io: HqwatchIo;
  monitor: Monitor;
  statusDb: StatusDbPoller;
  notifier: Notifier;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Applies a new validated config to the running monitor. */
  setConfig(config: HqwatchConfig): void;
  close(): Promise<void>;
}

/** The core to resume from: the same incident and window go on after a restart. */
function storedCore(latest: StoredCore | null, log: Logger) {
  if (latest) log.info({ at: latest.at, hq: latest.core.hq.state, incident: latest.core.hq.incident?.id }, 'resuming from stored state');
  return latest?.core;
}

/** Starting and stopping, in order: nothing is probed before the server listens, nothing stored after the monitor stops. */
function lifecycle(parts: {
  server: HttpServer;
  hub: Hub;
  monitor: Monitor;
  statusDb: StatusDbPoller;
  selfHealth: SelfHealth;
  store: Store | null;
  notifier: Notifier;
}) {
  const { server, hub, monitor, statusDb, selfHealth, store, notifier } = parts;
  return {
    async listen(port: number, host?: string): Promise<AddressInfo> {
      selfHealth.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      // The open alert threads are read before the first round, so it continues them.
      await notifier.start();
      monitor.start();
      statusDb.start();
      return server.address() as AddressInfo;
    },
    async close(): Promise<void> {
      await statusDb.stop();
      await monitor.stop();
      await notifier.stop();
      selfHealth.stop();
      hub.close();
      await new Promise<void>((resolve) => {
        hub.io.close(() => resolve());
      });
      server.closeAllConnections();
      // After the monitor and the poller: their last writes are queued by now, and close writes what waits.
      await store?.close();
    },
  };
}

/** Builds the whole server from injected parts; `cli.ts` wires the real ones and listens. */
export function createApp(deps: AppDeps): HqwatchApp {
  const { log, store = null, clientDir = null } = deps;
  const clock = deps.clock ?? systemClock;
  let config = deps.config;
  const selfHealth = deps.selfHealth ?? createSelfHealth({ log, clock });
  // The status database is read on its own interval; rounds only take its last snapshot.
  let monitorBuilt = false;
  const notifier = createNotifier({ config: () => config, store, now: clock.now, log, env: deps.env ?? process.env });
  const statusDb = createStatusDbPoller({
    config,
    password: deps.statusDbPassword,
    live: () => (monitorBuilt ? monitor.current() : null),
    clock,
    log,
    history: store?.switchHistory,
  });
  const monitor = createMonitor({
    config,
    log,
    clock,
    statusDb: () => statusDb.snapshot(),
    runProbe: deps.runProbe ?? realRunProbe,
    store: store ?? undefined,
    resumeFrom: storedCore(deps.resume ?? null, log),
    windowHistory: deps.windowHistory,
    networkUp: () => selfHealth.network().up,
    alerts: notifier.alerts,
  });
  monitorBuilt = true;
  const hub = createHub({ source: monitor, allowedOrigins: () => config.http.allowedOrigins, log });

  const app = new Koa();
  httpEdge(app, log);
  mountApi(app, {
    monitor,
    selfHealth,
    store,
    clients: hub.clientCount,
    now: clock.now,
    getConfig: () => config,
    operatorTokens: () => [...config.auth.operatorTokens, ...(deps.envOperatorToken ? [deps.envOperatorToken] : [])],
    notifier,
  });
  if (clientDir) app.use(staticFiles(clientDir));
  const server = createServer(app.callback());
  hub.attach(server);

  return {
    app,
    server,
    io: hub.io,
    monitor,
    statusDb,
    notifier,
    ...lifecycle({ server, hub, monitor, statusDb, selfHealth, store, notifier }),
    setConfig(next) {
      config = next;
      monitor.updateConfig(next);
      statusDb.updateConfig(next);
    },
  };
}
