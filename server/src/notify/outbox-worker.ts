import type { AlertMessage, ChannelConfig, NotifyConfig } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { NotifyStore, OutboxRow } from '../store/store.ts';
import { retryDelayMs } from './backoff.ts';
import { errorText, type SendResult } from './result.ts';

/** Rows read per pass; a longer outbox is worked through pass after pass. */
const BATCH = 500;
/** A pass also runs this often by itself: rows committed while a wake-up was lost, or the database back. */
const IDLE_PASS_MS = 5_000;

export interface WorkerChannel {
  /** The channel with its secrets resolved, or null when it is no longer configured. */
  config: ChannelConfig | null;
  /** The channel's secrets, for scrubbing error texts. */
  scrub(text: string): string;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed';

export interface OutboxWorkerDeps {
  store: NotifyStore;
  channel(id: string): WorkerChannel;
  delivery(): NotifyConfig['delivery'];
  send(channel: ChannelConfig, message: AlertMessage, timeoutMs: number): Promise<SendResult>;
  now(): number;
  log: Logger;
  /** Each attempt's outcome, for the counters of `/metrics`; `latencyMs` from the message's creation when sent. */
  onOutcome?(channelId: string, outcome: DeliveryOutcome, row: OutboxRow, latencyMs: number): void;
  random?: () => number;
}

/**
 * Works the outbox: each channel sends its deliveries one at a time, oldest first, so a thread's
 * resolve never overtakes its trigger; channels do not wait for each other. A failed attempt is
 * retried with exponential backoff and jitter (at least what a 429's `Retry-After` asked for) until
 * the delivery's deadline; then, or when the receiver refuses it for good, it is kept as
 * undeliverable (shown in `/api/health`, `/metrics` and on the dashboard), never dropped. A
 * delivery is marked sent only after the receiver accepted it: killed in between, it is sent again
 * after the restart (at least once; the message id lets a receiver drop the double).
 */
export function createOutboxWorker(deps: OutboxWorkerDeps) {
  const { store, log } = deps;
  const draining = new Set<string>();
  /** Deliveries accepted by the receiver whose mark did not reach the database yet: never sent twice by this process. */
  const sentUnmarked = new Map<number, { attempts: number; atMs: number }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  const inFlight = new Set<Promise<void>>();

  function schedule(atMs: number): void {
    if (stopped || atMs >= timerAt) return;
    clearTimeout(timer);
    timerAt = atMs;
    timer = setTimeout(
      () => {
        timerAt = Infinity;
        wake();
      },
      Math.max(0, atMs - deps.now()),
    );
    timer.unref();
  }

  async function markSentAgain(): Promise<void> {
    for (const [id, mark] of sentUnmarked) {
      await store.markSent(id, mark.attempts, mark.atMs);
      sentUnmarked.delete(id);
    }
  }

  /** One channel's deliveries, in order, until one has to wait (false) or all went (true). */
  async function drain(channelId: string, rows: OutboxRow[]): Promise<boolean> {
    for (const row of rows) {
      if (stopped) return false;
      if (sentUnmarked.has(row.id)) continue;
      const now = deps.now();
      if (row.nextAtMs > now) {
        schedule(row.nextAtMs);
        return false;
      }
      const channel = deps.channel(channelId);
      if (!channel.config) {
        const why = `channel "${channelId}" is not configured any more`;
        await store.markFailed(row.id, row.attempts, why);
        log.error({ channel: channelId, message: row.messageId, error: why }, 'alert undeliverable; kept for an operator');
        deps.onOutcome?.(channelId, 'failed', row, 0);
        continue;
      }
      const delivery = deps.delivery();
      const timeoutMs = channel.config.timeout ?? delivery.timeout;
      let result: SendResult;
      try {
        result = await deps.send(channel.config, row.message, timeoutMs);
      } catch (err) {
        result = { ok: false, retry: true, error: errorText(err) };
      }
      const attempts = row.attempts + 1;
      const doneAt = deps.now();
      if (result.ok) {
        sentUnmarked.set(row.id, { attempts, atMs: doneAt });
        await store.markSent(row.id, attempts, doneAt);
        sentUnmarked.delete(row.id);
        deps.onOutcome?.(channelId, 'sent', row, doneAt - Date.parse(row.message.at));
        continue;
      }
      const error = channel.scrub(result.error);
      const nextAtMs =
        doneAt +
        Math.max(retryDelayMs(attempts, { firstMs: delivery.firstRetry, maxMs: delivery.maxRetry }, deps.random), result.retryAfterMs ?? 0);
      if (!result.retry || nextAtMs > row.deadlineAtMs) {
        const why = result.retry
          ? `undeliverable: still failing at its deadline after ${attempts} attempts (${error})`
          : `refused: ${error}`;
        await store.markFailed(row.id, attempts, why);
        log.error({ channel: channelId, message: row.messageId, attempts, error }, 'alert undeliverable; kept for an operator');
        deps.onOutcome?.(channelId, 'failed', row, 0);
        continue;
      }
      await store.markRetry(row.id, attempts, nextAtMs, error);
      log.warn(
        { channel: channelId, message: row.messageId, attempts, error, retryInMs: nextAtMs - doneAt },
        'alert delivery failed; will retry',
      );
      deps.onOutcome?.(channelId, 'retry', row, 0);
      schedule(nextAtMs);
      return false;
    }
    return true;
  }

  async function pass(): Promise<void> {
    if (sentUnmarked.size > 0) await markSentAgain();
    const rows = await store.pending(BATCH);
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of rows) byChannel.set(row.channelId, [...(byChannel.get(row.channelId) ?? []), row]);
    for (const [channelId, list] of byChannel) {
      if (draining.has(channelId)) continue;
      draining.add(channelId);
      const flight = drain(channelId, list)
        .catch((err: unknown) => {
          log.error({ channel: channelId, err: errorText(err) }, 'outbox not worked; will try again');
          schedule(deps.now() + 1_000);
          return false;
        })
        .then((all) => {
          draining.delete(channelId);
          inFlight.delete(flight);
          // Rows may have been added behind the ones this drain read.
          if (all) wake();
        });
      inFlight.add(flight);
    }
    if (rows.length === BATCH) again = true;
  }

  /** Runs a pass now, or right after the one in progress. */
  function wake(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = pass()
      .catch((err: unknown) => {
        log.error({ err: errorText(err) }, 'outbox not read; will try again');
        schedule(deps.now() + 1_000);
      })
      .finally(() => {
        running = null;
        schedule(deps.now() + IDLE_PASS_MS);
        if (again) {
          again = false;
          wake();
        }
      });
  }

  return {
    start(): void {
      stopped = false;
      wake();
    },
    wake,
    /** Stops sending; resolves once the deliveries in flight have ended (or `waitMs` passed). */
    async stop(waitMs = 2_000): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      timerAt = Infinity;
      await Promise.race([Promise.allSettled([running, ...inFlight]), new Promise((r) => setTimeout(r, waitMs).unref())]);
    },
  };
}
