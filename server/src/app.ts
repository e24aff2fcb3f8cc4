import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { HqwatchConfig } from '@hqwatch/shared';
import { healthRoutes } from './api/health.routes.ts';
import { historyRoutes } from './api/history.routes.ts';
import { stateRoutes } from './api/state.routes.ts';
import { createHub, type HqwatchIo } from './hub/hub.ts';
import { errorHandler } from './http/error-handler.ts';
import { securityHeaders } from './http/security-headers.ts';
import { staticFiles } from './http/static-files.ts';
import type { Logger } from './logger.ts';
import { systemClock, type Clock } from './monitor/clock.ts';
import { createMonitor, type Monitor } from './monitor/monitor.ts';
import { createSelfHealth, type SelfHealth } from './monitor/self-health.ts';
import { runProbe as realRunProbe } from './probes/index.ts';
import { createStatusDbPoller, type StatusDbPoller } from './statusdb/poller.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  config: HqwatchConfig;
  log: Logger;
  clock?: Clock;
  runProbe?: typeof realRunProbe;
  /** History store; without one nothing is kept and the history routes answer 503. */
  store?: Store | null;
  /** Directory of the built client; null serves the API only. */
  clientDir?: string | null;
  selfHealth?: SelfHealth;
  /** Extra operator tokens (from HQWATCH_OPERATOR_TOKEN). */
  envOperatorToken?: string;
  /** Password of the status database's read-only user (from HQWATCH_STATUSDB_PASSWORD). */
  statusDbPassword?: string;
}

export interface HqwatchApp {
  app: Koa;
  server: HttpServer;
  io: HqwatchIo;
  monitor: Monitor;
  statusDb: StatusDbPoller;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Applies a new validated config to the running monitor. */
  setConfig(config: HqwatchConfig): void;
  close(): Promise<void>;
}

/** Builds the whole server from injected parts; `cli.ts` wires the real ones and listens. */
export function createApp(deps: AppDeps): HqwatchApp {
  const { log, store = null, clientDir = null } = deps;
  let config = deps.config;
  const selfHealth = deps.selfHealth ?? createSelfHealth({ log });
  const latest = store?.loadLatestCore() ?? null;
  if (latest) log.info({ at: latest.at, hq: latest.core.hq.state, incident: latest.core.hq.incident?.id }, 'resuming from stored state');
  // The status database is read on its own interval; rounds only take its last snapshot.
  let monitorBuilt = false;
  const statusDb = createStatusDbPoller({
    config,
    password: deps.statusDbPassword,
    live: () => (monitorBuilt ? monitor.current() : null),
    clock: deps.clock ?? systemClock,
    log,
    history: store?.switchHistory,
  });
  const monitor = createMonitor({
    config,
    log,
    statusDb: () => statusDb.snapshot(),
    clock: deps.clock ?? systemClock,
    runProbe: deps.runProbe ?? realRunProbe,
    store: store ?? undefined,
    resumeFrom: latest?.core,
    networkUp: () => selfHealth.network().up,
  });
  monitorBuilt = true;

  const app = new Koa();
  app.proxy = false;
  // A client that goes away mid-response (a dashboard scrubbing a replay cancels requests on
  // purpose) is not a server error; anything else that escapes the error handler is logged.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE') return;
    log.error({ err }, 'unhandled request error');
  });
  app.use(errorHandler(log));
  app.use(securityHeaders());
  // The socket hub is created after the routes (socket.io must wrap Koa's request handler, and Koa
  // composes its middleware when `callback()` is called), so the client count is read through this.
  let clientCount = () => 0;
  const routers = [
    stateRoutes(monitor),
    healthRoutes({ monitor, selfHealth, storeHealth: () => store?.health() ?? null, clients: () => clientCount() }),
    ...(store
      ? [
          historyRoutes({
            store,
            getConfig: () => config,
            operatorTokens: () => [...config.auth.operatorTokens, ...(deps.envOperatorToken ? [deps.envOperatorToken] : [])],
          }),
        ]
      : []),
  ];
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  if (clientDir) app.use(staticFiles(clientDir));
  const server = createServer(app.callback());
  const hub = createHub(server, { source: monitor, allowedOrigins: () => config.http.allowedOrigins, log });
  clientCount = () => hub.io.engine.clientsCount;

  return {
    app,
    server,
    io: hub.io,
    monitor,
    statusDb,
    async listen(port, host) {
      selfHealth.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      monitor.start();
      statusDb.start();
      return server.address() as AddressInfo;
    },
    setConfig(next) {
      config = next;
      monitor.updateConfig(next);
      statusDb.updateConfig(next);
    },
    async close() {
      await statusDb.stop();
      await monitor.stop();
      selfHealth.stop();
      hub.close();
      await new Promise<void>((resolve) => {
        hub.io.close(() => resolve());
      });
      server.closeAllConnections();
      store?.close();
    },
  };
}
