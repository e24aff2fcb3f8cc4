import Router from '@koa/router';
import { requireRole } from '../auth/access.ts';
import type { Monitor } from '../monitor/monitor.ts';
import type { SelfHealth } from '../monitor/self-health.ts';
import type { NotifyStatus } from '../notify/notifier.ts';
import { renderMetrics } from './metrics.ts';

export interface HealthDeps {
  monitor: Monitor;
  selfHealth: SelfHealth;
  storeHealth: () => Promise<{ ok: boolean; sizeBytes: number; error?: string } | null>;
  /** Alerting: pending and undeliverable deliveries per channel. */
  notify: () => Promise<NotifyStatus>;
  clients: () => number;
  /** Wall-clock milliseconds: how long ago the last round was is read against it. */
  now: () => number;
}

/** `GET /api/health` (the monitor's own health, JSON) and `GET /metrics` (Prometheus text). */
export function healthRoutes(deps: HealthDeps): Router {
  const router = new Router();
  async function health(notify: NotifyStatus) {
    const state = deps.monitor.current();
    const stats = deps.monitor.stats();
    const self = await deps.selfHealth.report();
    const store = await deps.storeHealth();
    const intervalMs = deps.monitor.config().monitor.interval;
    const stale = stats.lastRoundAt === null ? null : deps.now() - Date.parse(stats.lastRoundAt) > 3 * intervalMs;
    const healthy = state.monitor.healthy && stale !== true && (store?.ok ?? true);
    return {
      status: healthy ? 'ok' : 'degraded',
      reason: state.monitor.reason ?? (stale ? 'no monitor round in the last 3 intervals' : undefined),
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
      ...self,
    };
  }
  router.get('/api/health', requireRole('viewer'), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await health(await deps.notify());
  });
  router.get('/metrics', requireRole('viewer'), async (ctx) => {
    ctx.type = 'text/plain; version=0.0.4';
    const notify = await deps.notify();
    ctx.body = renderMetrics(deps.monitor.current(), { ...(await health(notify)), notify });
  });
  return router;
}
