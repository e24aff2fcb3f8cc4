import {
  channelSecrets,
  EMPTY_ALERT_MEMORY,
  maintenanceAt,
  planAlerts,
  resolveChannel,
  testMessage,
  type AlertMemory,
  type Env,
  type HistoryEvent,
  type HqwatchConfig,
  type LiveState,
  type MaintenanceWindow,
} from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { MonitorAlerts } from '../monitor/monitor.ts';
import type { RoundAlerts, Store } from '../store/store.ts';
import { settleWithin } from '../settle-within.ts';
import { deliver } from './channels.ts';
import { createOutboxWorker, type DeliveryOutcome, type WorkerChannel } from './outbox-worker.ts';
import { scrub, type SendResult } from './result.ts';
import { createSmtpSender } from './smtp.ts';

/** The longest the outbox counts are waited for by a status (health, metrics): the database may be away. */
const STATUS_READ_MS = 2_000;

export interface NotifierDeps {
  config: () => HqwatchConfig;
  /** Without a store there is no outbox: nothing is planned or sent (said at start). */
  store: Store | null;
  now: () => number;
  log: Logger;
  /** Where `${ENV:NAME}` values come from (process.env). */
  env: Env;
}

/** Counters since start, per channel, for `/metrics`. */
export interface ChannelCounters {
  sent: number;
  failed: number;
  retries: number;
  /** Seconds from the message's creation to its delivery, summed, and how many (a summary's sum and count). */
  latencySum: number;
  latencyCount: number;
}

/** How alerting stands, for `/api/health`, `/api/notify` and `/metrics`. */
export interface NotifyStatus {
  enabled: boolean;
  channels: { id: string; kind: string; pending: number; undeliverable: number; counters: ChannelCounters }[];
  pending: number;
  undeliverable: number;
  /** Why alerting is off or failing, when it is. */
  problem: string | null;
}

/** How often the maintenance windows are read again, in case another process added one. */
const MAINTENANCE_REFRESH_MS = 60_000;

/**
 * Alerting, wired: plans each round's alerts (the pure model in `@hqwatch/shared`) for the monitor
 * to commit with its events, wakes the outbox worker once they are committed, keeps the maintenance
 * windows at hand, and sends test messages.
 */
export function createNotifier(deps: NotifierDeps) {
  const { store, log } = deps;
  let memory: AlertMemory = EMPTY_ALERT_MEMORY;
  let maintenance: MaintenanceWindow[] = [];
  let maintenanceReadAt = -Infinity;
  let ready = false;
  let problem: string | null = null;
  const counters = new Map<string, ChannelCounters>();
  const smtp = createSmtpSender();

  const counter = (id: string): ChannelCounters => {
    let c = counters.get(id);
    if (!c) counters.set(id, (c = { sent: 0, failed: 0, retries: 0, latencySum: 0, latencyCount: 0 }));
    return c;
  };

  function channel(id: string): WorkerChannel {
    const configured = deps.config().notify.channels.find((c) => c.id === id) ?? null;
    if (!configured) return { config: null, scrub: (text) => text };
    const resolved = resolveChannel(configured, deps.env);
    const secrets = channelSecrets(resolved);
    return { config: resolved, scrub: (text) => scrub(text, secrets) };
  }

  const send = (config: Parameters<typeof deliver>[0], message: Parameters<typeof deliver>[1], timeoutMs: number): Promise<SendResult> =>
    deliver(config, message, { timeoutMs, nowMs: deps.now, smtp });

  const worker = store
    ? createOutboxWorker({
        store: store.notify,
        channel,
        delivery: () => deps.config().notify.delivery,
        send,
        now: deps.now,
        log,
        onOutcome(channelId, outcome: DeliveryOutcome, _row, latencyMs) {
          const c = counter(channelId);
          if (outcome === 'sent') {
            c.sent += 1;
            c.latencySum += latencyMs / 1000;
            c.latencyCount += 1;
          } else if (outcome === 'failed') c.failed += 1;
          else c.retries += 1;
        },
      })
    : null;

  async function refreshMaintenance(): Promise<void> {
    if (!store) return;
    try {
      maintenance = await store.maintenance.list(deps.now() - 86_400_000);
      maintenanceReadAt = deps.now();
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'maintenance windows not read; keeping the ones known');
    }
  }

  const enabled = () => deps.config().notify.channels.length > 0;

  const alerts: MonitorAlerts = {
    plan(events: readonly HistoryEvent[], state: LiveState): RoundAlerts | null {
      if (!store || !ready) return null;
      const config = deps.config();
      const nowMs = Date.parse(state.at);
      if (nowMs - maintenanceReadAt > MAINTENANCE_REFRESH_MS) {
        maintenanceReadAt = nowMs;
        void refreshMaintenance();
      }
      if (!enabled() && memory.threads.length === 0) return null;
      const plan = planAlerts({ memory, state, events, config, maintenance: maintenanceAt(maintenance, nowMs) });
      memory = plan.memory;
      if (!plan.changed) return null;
      const deadlineAtMs = nowMs + config.notify.delivery.deadline;
      for (const m of plan.messages)
        log.info({ event: m.event, status: m.status, dedupKey: m.dedupKey, muted: m.muted ?? undefined, title: m.title }, 'alert');
      return {
        messages: plan.messages,
        // A channel removed since the thread began (its resolve still goes there) cannot be sent on:
        // its delivery is recorded all the same, and the worker keeps it as undeliverable, to be seen.
        deliveries: plan.deliveries.map((d) => ({ ...d, deadlineAtMs })),
        memory: JSON.stringify(plan.memory),
      };
    },
    committed: () => worker?.wake(),
  };

  return {
    alerts,
    /** Reads the open threads and maintenance windows, then starts sending. Before the monitor's first round. */
    async start(): Promise<void> {
      if (!store) {
        if (enabled()) {
          problem = 'no history store: alerts need the outbox';
          log.warn('notify: channels are configured but there is no history store; no alerts will be sent');
        }
        return;
      }
      try {
        memory = (await store.notify.memory()) ?? EMPTY_ALERT_MEMORY;
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'alert threads not read; starting with none');
      }
      await refreshMaintenance();
      ready = true;
      worker?.start();
      if (enabled())
        log.info(
          { channels: deps.config().notify.channels.map((c) => `${c.id} (${c.kind})`), open: memory.threads.length },
          'notify: alerts on',
        );
    },
    async stop(): Promise<void> {
      await worker?.stop();
      smtp.close();
    },
    /** Stops sending without closing anything: another instance leads now (`start` takes it up again). */
    async pause(): Promise<void> {
      ready = false;
      await worker?.stop();
    },
    /** The maintenance windows changed (an operator added or ended one). */
    maintenanceChanged: refreshMaintenance,
    maintenance: (): MaintenanceWindow[] => maintenance,
    /** Sends a test message on a channel now, outside the outbox; says how it went (errors scrubbed). */
    async test(channelId: string, at: string): Promise<{ ok: true } | { ok: false; error: string }> {
      const target = channel(channelId);
      if (!target.config) return { ok: false, error: `no channel "${channelId}"` };
      const config = target.config;
      const message = testMessage(channelId, at, deps.config().http.publicUrl ?? null);
      const timeoutMs = config.timeout ?? deps.config().notify.delivery.timeout;
      const result = await send(config, message, timeoutMs);
      // A test page on PagerDuty is closed straight away.
      if (result.ok && config.kind === 'pagerduty') await send(config, { ...message, status: 'resolve', seq: 2 }, timeoutMs);
      return result.ok ? { ok: true } : { ok: false, error: target.scrub(result.error) };
    },
    wake: () => worker?.wake(),
    async status(): Promise<NotifyStatus> {
      const config = deps.config();
      let counts: { channelId: string; pending: number; failed: number }[] = [];
      let readProblem: string | null = null;
      if (store)
        try {
          counts = await settleWithin(
            store.notify.counts(),
            STATUS_READ_MS,
            () => new Error(`no answer within ${STATUS_READ_MS / 1000} s`),
          );
        } catch (err) {
          readProblem = `outbox not readable: ${err instanceof Error ? err.message : String(err)}`;
        }
      const ids = [...new Set([...config.notify.channels.map((c) => c.id), ...counts.map((c) => c.channelId)])];
      const channels = ids.map((id) => {
        const count = counts.find((c) => c.channelId === id);
        return {
          id,
          kind: config.notify.channels.find((c) => c.id === id)?.kind ?? 'removed',
          pending: count?.pending ?? 0,
          undeliverable: count?.failed ?? 0,
          counters: { ...counter(id) },
        };
      });
      const pending = channels.reduce((n, c) => n + c.pending, 0);
      const undeliverable = channels.reduce((n, c) => n + c.undeliverable, 0);
      const failing = undeliverable > 0 ? `${undeliverable} alert deliver${undeliverable === 1 ? 'y' : 'ies'} undeliverable` : null;
      return { enabled: enabled(), channels, pending, undeliverable, problem: problem ?? readProblem ?? failing };
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
