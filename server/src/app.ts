import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Env, HqwatchConfig, WindowHistory } from '@hqwatch/shared';
import { DEFAULT_HISTORY_LIMITS, type HistoryLimits } from './api/history-limits.ts';
import { mountApi, mountRouters } from './api/routes.ts';
import { createAuth, type Auth } from './auth/auth.ts';
import { createCluster, type Cluster, type ClusterSetup } from './cluster/cluster.ts';
import type { ReloadOutcome } from './auth/admin.routes.ts';
import { DEFAULT_OPERATOR_LIMITS, type OperatorLimits } from './auth/token-lockout.ts';
import type { GuardStats, SocketLimits } from './hub/guard.ts';
import { createHub, type Hub, type HqwatchIo } from './hub/hub.ts';
import { DEFAULT_SOCKET_LIMITS } from './hub/limits.ts';
import { httpEdge, type EdgePolicy } from './http/edge.ts';
import { staticFiles } from './http/static-files.ts';
import type { Logger } from './logger.ts';
import { systemClock, type Clock } from './monitor/clock.ts';
import { createMonitor, type Monitor } from './monitor/monitor.ts';
import { createNotifier, type Notifier } from './notify/notifier.ts';
import { createSelfHealth, type SelfHealth } from './monitor/self-health.ts';
import { runProbe as realRunProbe } from './probes/index.ts';
import { createStatusDbPoller, type StatusDbPoller } from './statusdb/poller.ts';
import { createStatusPages } from './status/status-pages.ts';
import { statusRoutes } from './status/status.routes.ts';
import type { AccountStore } from './store/accounts.ts';
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
  /**
   * Users, kiosk displays and sessions: the store's unless given (a web node shares another
   * instance's database). Without either, only config tokens and anonymous access exist.
   */
  accounts?: AccountStore | null;
  /** Reloads the config file (the admin page's button); `serve` gives it. */
  reloadConfig?: () => Promise<ReloadOutcome>;
  /** Where alert channels' `${ENV:NAME}` secrets are read from; process.env when absent. */
  env?: Env;
  /** Certificate and key (PEM): the server speaks HTTPS (`http.tls`, read by `serve`). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * Limits on what clients may ask, each part over its defaults: a test or a benchmark whose
   * thousands of clients all come from 127.0.0.1 needs wider per-address budgets than real walls do.
   */
  limits?: { socket?: Partial<SocketLimits>; history?: Partial<HistoryLimits>; operator?: Partial<OperatorLimits> };
  /** permessage-deflate on the dashboards' WebSockets; off unless asked (see `HubOptions`). */
  perMessageDeflate?: boolean;
  /** Several instances on one store (`ha`, `serve --role web`); absent: one instance, as always. */
  cluster?: ClusterSetup;
}

export interface AppLimits {
  socket: SocketLimits;
  history: HistoryLimits;
  operator: OperatorLimits;
}

export interface HqwatchApp {
  app: Koa;
  server: HttpServer | HttpsServer;
  io: HqwatchIo;
  monitor: Monitor;
  statusDb: StatusDbPoller;
  /** Accounts and access control. */
  auth: Auth;
  notifier: Notifier;
  /** Leadership and the leader's live state; null for a lone instance. */
  cluster: Cluster | null;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Applies a new validated config to the running monitor. */
  setConfig(config: HqwatchConfig): void;
  /** What the socket guard dropped, coalesced and answered (tests and the flood figures). */
  guardStats(): GuardStats;
  close(): Promise<void>;
}

/** The core to resume from: the same incident and window go on after a restart. */
function storedCore(latest: StoredCore | null, log: Logger) {
  if (latest) log.info({ at: latest.at, hq: latest.core.hq.state, incident: latest.core.hq.incident?.id }, 'resuming from stored state');
  return latest?.core;
}

/** Starting and stopping, in order: nothing is probed before the server listens, nothing stored after the monitor stops. */
function lifecycle(parts: {
  server: HttpServer | HttpsServer;
  hub: Hub;
  monitor: Monitor;
  statusDb: StatusDbPoller;
  selfHealth: SelfHealth;
  store: Store | null;
  auth: Auth;
  notifier: Notifier;
  cluster: Cluster | null;
  /** A web node: it neither probes nor reads the status database. */
  probes: boolean;
  /** Told the address asked for, before listening: a name there passes the Host check. */
  onListen: (host: string | undefined) => void;
}) {
  const { server, hub, monitor, statusDb, selfHealth, store, auth, notifier, cluster } = parts;
  return {
    async listen(port: number, host?: string): Promise<AddressInfo> {
      parts.onListen(host);
      selfHealth.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      // The open alert threads are read before the first round, so it continues them; with
      // leadership, only by the leader, when it takes over (a lone instance leads before its first round).
      if (cluster) await cluster.start();
      else await notifier.start();
      if (parts.probes) {
        monitor.start();
        statusDb.start();
      }
      return server.address() as AddressInfo;
    },
    async close(): Promise<void> {
      await statusDb.stop();
      await monitor.stop();
      await notifier.stop();
      selfHealth.stop();
      auth.close();
      hub.close();
      await new Promise<void>((resolve) => {
        hub.io.close(() => resolve());
      });
      server.closeAllConnections();
      // After the monitor and the poller: their last writes are queued by now, and close writes what waits.
      await store?.close();
      // Leadership last: the lock is given up once the last writes have landed.
      await cluster?.stop();
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
  let cluster: Cluster | null = null;
  const history = store
    ? {
        record: (events: Parameters<Store['switchHistory']['record']>[0]) =>
          cluster && !cluster.leading() ? Promise.resolve() : store.switchHistory.record(events),
        latest: () => store.switchHistory.latest(),
        latestServices: () => store.switchHistory.latestServices(),
      }
    : undefined;
  const notifier = createNotifier({ config: () => config, store, now: clock.now, log, env: deps.env ?? process.env });
  const statusDb = createStatusDbPoller({
    config,
    password: deps.statusDbPassword,
    live: () => (monitorBuilt ? monitor.current() : null),
    clock,
    log,
    history,
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
    leading: deps.cluster ? () => cluster?.leading() ?? false : undefined,
  });
  monitorBuilt = true;
  if (deps.cluster)
    cluster = createCluster({
      setup: deps.cluster,
      monitor,
      store,
      notifier,
      statusDb,
      intervalMs: () => config.monitor.interval,
    });
  const live = cluster?.relay ?? monitor;
  const limits: AppLimits = {
    socket: { ...DEFAULT_SOCKET_LIMITS, ...deps.limits?.socket },
    history: { ...DEFAULT_HISTORY_LIMITS, ...deps.limits?.history },
    operator: { ...DEFAULT_OPERATOR_LIMITS, ...deps.limits?.operator },
  };
  let listenHost: string | undefined;
  const policy: EdgePolicy = {
    hostNames: () => ({ listenHost, publicUrl: config.http.publicUrl, allowedHosts: config.http.allowedHosts }),
    trustedProxies: () => config.http.trustProxy,
  };
  const allowedOrigins = () => [...config.http.allowedOrigins, ...(config.http.publicUrl ? [new URL(config.http.publicUrl).origin] : [])];
  const hub = createHub({
    source: live,
    broadcasts: cluster?.broadcasts,
    adapter: deps.cluster?.fanout?.adapter(),
    websocketOnly: config.fanout?.websocketOnly,
    policy: { ...policy, allowedOrigins },
    log,
    limits: limits.socket,
    perMessageDeflate: deps.perMessageDeflate ?? false,
  });

  const auth = createAuth({
    config: () => config,
    accounts: deps.accounts === undefined ? (store?.accounts ?? null) : deps.accounts,
    envOperatorToken: deps.envOperatorToken,
    allowedOrigins,
    trustedProxies: policy.trustedProxies,
    tokenLimits: limits.operator,
    reloadConfig: deps.reloadConfig,
    log,
    now: clock.now,
  });

  const app = new Koa();
  httpEdge(app, log, policy);
  app.use(auth.middleware);
  // First: a thousand helpdesk browsers on a site page pass no other router's matching.
  const statusPages = createStatusPages({ source: live, config: () => config, store, now: clock.now, log });
  mountRouters(app, [statusRoutes({ pages: statusPages, config: () => config })]);
  mountApi(app, {
    monitor,
    live,
    cluster: cluster ? cluster.status : null,
    selfHealth,
    store,
    clients: hub.clientCount,
    now: clock.now,
    getConfig: () => config,
    notifier,
    limits,
  });
  mountRouters(app, auth.routers);
  if (clientDir) app.use(staticFiles(clientDir));
  const server = deps.tls ? createHttpsServer({ cert: deps.tls.cert, key: deps.tls.key }, app.callback()) : createServer(app.callback());
  hub.attach(server);
  auth.attach(hub.io);
  cluster?.attach(hub.io);

  const life = lifecycle({
    server,
    hub,
    monitor,
    statusDb,
    selfHealth,
    store,
    auth,
    notifier,
    cluster,
    probes: deps.cluster?.role !== 'web',
    onListen: (host) => (listenHost = host),
  });
  return {
    app,
    server,
    io: hub.io,
    monitor,
    statusDb,
    auth,
    notifier,
    cluster,
    guardStats: hub.guardStats,
    listen: life.listen,
    async close() {
      statusPages.close();
      await life.close();
    },
    setConfig(next) {
      config = next;
      monitor.updateConfig(next);
      statusDb.updateConfig(next);
      // Anonymous access or a token taken out of the config ends the sockets that used it.
      void auth.revalidate();
    },
  };
}
