import Router from '@koa/router';
import { publicRoute, requireRole } from '../auth/access.ts';
import type { ClusterStatus } from '../cluster/cluster.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import type { Monitor } from '../monitor/monitor.ts';
import type { SelfHealth } from '../monitor/self-health.ts';
import type { NotifyStatus } from '../notify/notifier.ts';
import { renderMetrics } from './metrics.ts';

export interface HealthDeps {
  monitor: Monitor;
  /** The live state this instance serves (the leader's on every instance of a pair). */
  live: LiveSource;
  /** Leadership (role, term, last heartbeat, Redis); null for a lone instance. */
  cluster: (() => ClusterStatus) | null;
  selfHealth: SelfHealth;
  storeHealth: () => Promise<{ ok: boolean; sizeBytes: number; error?: string } | null>;
  /** Alerting: pending and undeliverable deliveries per channel. */
  notify: () => Promise<NotifyStatus>;
  clients: () => number;
  /** Wall-clock milliseconds: how long ago the last round was is read against it. */
  now: () => number;
}

/**
 * `GET /api/health` (the monitor's own health, JSON), `GET /metrics` (Prometheus text) and
 * `GET /api/live`, the liveness check for a container's HEALTHCHECK or a load balancer.
 */
export function healthRoutes(deps: HealthDeps): Router {
  const router = new Router();
  /** Rounds have stopped: none in the last 3 intervals (null before the first round). */
  function stalled(): boolean | null {
    const { lastRoundAt } = deps.monitor.stats();
    return lastRoundAt === null ? null : deps.now() - Date.parse(lastRoundAt) > 3 * deps.monitor.config().monitor.interval;
  }
  async function health(notify: NotifyStatus) {
    const state = deps.live.current();
    const stats = deps.monitor.stats();
    const cluster = deps.cluster?.() ?? null;
    const self = await deps.selfHealth.report();
    const store = await deps.storeHealth();
    const intervalMs = deps.monitor.config().monitor.interval;
    const stale = stalled();
    // A standby or web node is healthy when it follows the leader: the leader's own verdict is in the state.
    const cutOff = cluster?.cutOff ?? null;
    const healthy = state.monitor.healthy && stale !== true && (store?.ok ?? true) && cutOff === null;
    return {
      status: healthy ? 'ok' : 'degraded',
      reason: state.monitor.reason ?? cutOff ?? (stale ? 'no monitor round in the last 3 intervals' : undefined),
      hq: state.hq.state,
      rounds: { ...stats, intervalMs },
      store,
      // Undeliverable alerts are shown here (and in /metrics) without making the monitor unhealthy: it still sees.
      notify: {
        enabled: notify.enabled,
        pending: notify.pending,
        undeliverable: notify.undeliverable,
        problem: notify.problem,
        channels: notify.channels.map(({ id, kind, pending, undeliverable }) => ({ id, kind, pending, undeliverable })),
      },
      clients: deps.clients(),
      ...(cluster ? { cluster } : {}),
      ...self,
    };
  }
  router.get('/api/health', requireRole('viewer'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await health(await deps.notify());
  });
  /**
   * Anyone may ask, so it says only whether this process is working — answering and running its
   * rounds (200 `{"status":"ok"}`) or not (503 `{"status":"stalled"}`) — and nothing of what it
   * sees: not the HQ state, not the store, not a count. A blind monitor or a failing store is still
   * alive (it says so on /api/health); a restart would not mend either.
   */
  router.get('/api/live', publicRoute(), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const live = stalled() !== true;
    ctx.status = live ? 200 : 503;
    ctx.body = { status: live ? 'ok' : 'stalled' };
  });
  router.get('/metrics', requireRole('viewer'), async (ctx) => {
    ctx.type = 'text/plain; version=0.0.4';
    const notify = await deps.notify();
    ctx.body = renderMetrics(deps.live.current(), { ...(await health(notify)), notify });
  });
  // This node's part in a pair: small and cheap, for the dashboard's status line and banner.
  router.get('/api/cluster', requireRole('viewer'), (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = deps.cluster ? { enabled: true, ...deps.cluster() } : { enabled: false };
  });
  return router;
}
