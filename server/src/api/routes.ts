import type Router from '@koa/router';
import type Koa from 'koa';
import type { HqwatchConfig } from '@hqwatch/shared';
import { assertRouteAccess } from '../auth/access.ts';
import type { ClusterStatus } from '../cluster/cluster.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import type { Monitor } from '../monitor/monitor.ts';
import type { SelfHealth } from '../monitor/self-health.ts';
import { maintenanceRoutes } from '../maintenance/maintenance.routes.ts';
import type { Notifier } from '../notify/notifier.ts';
import { notifyRoutes } from '../notify/notify.routes.ts';
import type { Store } from '../store/store.ts';
import { healthRoutes } from './health.routes.ts';
import type { HistoryLimits } from './history-limits.ts';
import { historyRoutes } from './history.routes.ts';
import { sitesRoutes } from './sites.routes.ts';
import { openApiRoutes } from './openapi/openapi.routes.ts';
import { stateRoutes } from './state.routes.ts';

export interface ApiDeps {
  monitor: Monitor;
  /** The live state served (the leader's, on every instance of a pair); the monitor's when alone. */
  live?: LiveSource;
  /** Leadership as this instance sees it; null for a lone instance. */
  cluster?: (() => ClusterStatus) | null;
  selfHealth: SelfHealth;
  /** Without a store the history paths are not served (they answer 404). */
  store: Store | null;
  /** Connected dashboards, for /api/health and /metrics. */
  clients: () => number;
  /** Wall-clock milliseconds. */
  now: () => number;
  getConfig: () => HqwatchConfig;
  notifier: Notifier;
  limits: { history: HistoryLimits };
}

/** The REST API on `app`: state, health and metrics, and the history when there is a store. */
export function mountApi(app: Koa, deps: ApiDeps): void {
  const { monitor, selfHealth, store } = deps;
  const routers = [
    stateRoutes(deps.live ?? monitor),
    sitesRoutes(deps.getConfig),
    openApiRoutes(),
    healthRoutes({
      monitor,
      live: deps.live ?? monitor,
      cluster: deps.cluster ?? null,
      selfHealth,
      storeHealth: async () => (store ? store.health() : null),
      notify: () => deps.notifier.status(),
      clients: deps.clients,
      now: deps.now,
    }),
    notifyRoutes({ notifier: deps.notifier, store, getConfig: deps.getConfig, now: deps.now }),
    ...(store
      ? [
          historyRoutes({
            store,
            getConfig: deps.getConfig,
            trustedProxies: () => deps.getConfig().http.trustProxy,
            limits: deps.limits,
            now: () => new Date(deps.now()),
          }),
          maintenanceRoutes({ store, now: deps.now, changed: deps.notifier.maintenanceChanged }),
        ]
      : []),
  ];
  mountRouters(app, routers);
}

/** Mounts routers once each of their routes has an access rule (`auth/access.ts`); throws otherwise. */
export function mountRouters(app: Koa, routers: readonly Router[]): void {
  for (const router of routers) assertRouteAccess(router);
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
}
