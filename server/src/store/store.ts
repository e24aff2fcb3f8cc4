import type { EngineCore, HistoryEvent, MonitorGapEvent, StoreHealth } from '@hqwatch/shared';
import { accountStore, type AccountStore } from './accounts.ts';
import { openSqliteBackend } from './backend-sqlite.ts';
import { createRecorder, type Write, type WriteBody } from './recorder.ts';
import { createRollupAggregator, type ProbeMinute } from './rollup-aggregator.ts';
import { clusterRepository } from './cluster.repository.ts';
import { maintenanceRepository } from './maintenance.repository.ts';
import { outboxRepository, type RoundAlerts } from './outbox.repository.ts';
import { historyQueries } from './queries.ts';
import { rollupsRepository, type ProbeIds } from './rollups.repository.ts';
import { isConnectionError } from './sql/postgres.ts';
import { settleWithin } from '../settle-within.ts';
import { describeError } from './sql/sql.ts';
import {
  StoreUnavailableError,
  type Store,
  type StoreBackend,
  type StoreLocation,
  type StoreOptions,
  type StoreStatus,
} from './store-contract.ts';
import { toMs } from './time.ts';
import { createWriteQueue } from './write-queue.ts';
import { readWriterPosition, StaleWriterError } from './writer.ts';

export { StoreOpenError, STORE_EXIT_CODES } from './database.ts';
export type { ReplayResult } from './replay.ts';
export type { IncidentQuery } from './queries.ts';
export type { SwitchCodesAt } from './switches.repository.ts';
export type { MessageRecord, OutboxRow, RoundAlerts, UndeliverableRow } from './outbox.repository.ts';
export { StoreUnavailableError } from './store-contract.ts';
export type {
  MaintenanceStore,
  NotifyStore,
  SiteDownInterval,
  Store,
  StoreBackend,
  StoreKind,
  StoreLocation,
  StoreOptions,
  StoreStatus,
  SwitchHistoryStore,
} from './store-contract.ts';

/**
 * Opens the store where `opts` says. Rejects with StoreOpenError when the database cannot be used
 * (corrupt, held by another hqwatch, from a newer hqwatch, unreachable).
 */
export async function openStore(opts: StoreOptions & StoreLocation): Promise<Store> {
  let backend: StoreBackend;
  if (opts.kind === 'postgres') {
    // Loaded only here: the embedded default never loads the PostgreSQL driver.
    const { openPostgresBackend } = await import('./backend-postgres.ts');
    backend = await openPostgresBackend(opts, opts.log);
  } else backend = openSqliteBackend(opts.dataDir, opts);
  try {
    return await createStore(backend, opts);
  } catch (err) {
    await backend.close().catch(() => undefined);
    throw err;
  }
}

/** A read that failed because the database is away says so, distinct from a bug. */
const unavailableWhenAway =
  <A extends unknown[], R>(read: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    try {
      return await read(...args);
    } catch (err) {
      if (isConnectionError(err) || /timeout/i.test(describeError(err))) throw new StoreUnavailableError(describeError(err));
      throw err;
    }
  };

/** Every method of the account store, its connection failures told as StoreUnavailableError. */
export function guardedAccounts(accounts: AccountStore): AccountStore {
  const entries = Object.entries(accounts).map(([name, fn]) => [name, unavailableWhenAway(fn as (...args: unknown[]) => Promise<unknown>)]);
  return Object.fromEntries(entries) as unknown as AccountStore;
}

/** The longest a health answer waits for the database's size (it may be away). */
const SIZE_READ_MS = 2_000;

/** Minutes of rollups kept for a retry when their write fails, at most. */
const MAX_PENDING_MINUTES = 200_000;

/** The part of an engine core that shows in the live state: a snapshot is stored when it changes. */
function visibleKey(core: EngineCore): string {
  const nodes = Object.entries(core.nodes).map(([id, n]) => [id, n.status, n.since, n.flapping]);
  return JSON.stringify([core.hq, nodes]);
}

/** The store over a backend; resumes the writer's position and the newest engine core from it. */
export async function createStore(backend: StoreBackend, opts: StoreOptions): Promise<Store> {
  const { log, sql } = { log: opts.log, sql: backend.sql };
  const term = opts.term ?? (() => 0);
  const slowAfterMs = opts.slowAfterMs ?? 5_000;
  const queries = historyQueries(sql);
  const recorder = createRecorder(sql);
  const aggregator = createRollupAggregator();
  const probeIds: ProbeIds = new Map();
  const [latest, position] = await Promise.all([queries.loadLatestCore(), readWriterPosition(sql)]);
  let seq = position.seq;
  let lastKey = latest ? visibleKey(latest.core) : null;
  let incidentId = latest?.core.hq.incident?.id ?? null;
  /** The time of the last write queued: a heartbeat at the same moment adds nothing. */
  let lastTouchMs: number | null = null;
  let lastFlushMinute: number | null = null;
  let lastRetentionHour: number | null = null;
  let rollupError: string | null = null;
  let pendingMinutes: ProbeMinute[] = [];
  let rollupFlight: Promise<void> | null = null;
  let closed = false;
  const rollupRetry: { timer: ReturnType<typeof setTimeout> | undefined; attempts: number } = { timer: undefined, attempts: 0 };

  const queue = createWriteQueue<Write, MonitorGapEvent | null>({
    max: opts.maxQueued ?? 10_000,
    write: async (write) => {
      const gap = await recorder.write(write);
      if (gap) log?.warn({ from: gap.from, to: gap.to }, 'monitor was down');
      return gap;
    },
    isPermanent: (err) => err instanceof StaleWriterError,
    // Heartbeats waiting behind a failure fold into one: the latest time is all they say.
    merge: (last, next) =>
      last.kind === 'heartbeat' && next.kind === 'heartbeat' ? { ...last, atMs: next.atMs, incidentId: next.incidentId } : null,
    onError: (err, queued) => log?.error({ err: describeError(err), queued }, 'history write failed; will retry'),
    onRecovered: (written) => log?.info({ written }, 'history writes recovered'),
    onOrphanRefused: (err) => log?.warn({ err: describeError(err) }, "the previous leadership's last write was refused; dropped"),
  });

  function enqueue(body: WriteBody) {
    seq += 1;
    return queue.push({ ...body, at: { term: term(), seq } });
  }

  /** Writes the minutes that wait; `nowMinute` (the current one) dates the retention. */
  async function writeRollups(nowMinute: number): Promise<void> {
    const minutes = pendingMinutes.splice(0);
    if (minutes.length === 0) return;
    try {
      await sql.tx((tx) => rollupsRepository(tx, probeIds).write(minutes));
      rollupError = null;
      rollupRetry.attempts = 0;
    } catch (err) {
      probeIds.clear(); // it may hold ids of probes the rollback removed
      pendingMinutes = [...minutes, ...pendingMinutes].slice(-MAX_PENDING_MINUTES);
      rollupError = describeError(err);
      log?.error({ err: rollupError, pending: pendingMinutes.length }, 'probe rollups not written; will retry');
      // Sooner than the next minute's flush, backing off while the database stays away.
      rollupRetry.attempts += 1;
      clearTimeout(rollupRetry.timer);
      if (closed) return;
      rollupRetry.timer = setTimeout(() => void flushRollups([], nowMinute), Math.min(30_000, 500 * 2 ** rollupRetry.attempts));
      rollupRetry.timer.unref();
      return;
    }
    const hour = Math.floor(nowMinute / 60);
    if (lastRetentionHour === hour) return;
    lastRetentionHour = hour;
    try {
      const deleted = await rollupsRepository(sql, probeIds).deleteBefore(hour - opts.retentionDays * 24);
      if (deleted > 0) log?.info({ deleted }, 'old probe rollups deleted');
    } catch (err) {
      log?.warn({ err: describeError(err) }, 'rollup retention failed');
    }
  }

  /** Starts a rollup write unless one is in flight (the next minute's flush takes what waits). */
  function flushRollups(minutes: ProbeMinute[], nowMinute: number): Promise<void> {
    clearTimeout(rollupRetry.timer);
    pendingMinutes.push(...minutes);
    if (closed) return Promise.resolve();
    rollupFlight ??= writeRollups(nowMinute).finally(() => (rollupFlight = null));
    return rollupFlight;
  }

  async function heartbeat(at: string): Promise<void> {
    try {
      const atMs = toMs(at);
      if (atMs === lastTouchMs) return;
      lastTouchMs = atMs;
      await enqueue({ kind: 'heartbeat', atMs, incidentId });
    } catch (err) {
      log?.error({ err: describeError(err) }, 'heartbeat not queued');
    }
  }

  async function append(events: HistoryEvent[], core: EngineCore, at: string, alerts: RoundAlerts | null = null): Promise<void> {
    try {
      const atMs = toMs(at);
      const key = visibleKey(core);
      const snapshot = key === lastKey ? null : JSON.stringify(core);
      incidentId = core.hq.incident?.id ?? null;
      // Most rounds change nothing: they only mark the monitor alive (and retry what waits).
      const hasAlerts = alerts !== null && (alerts.messages.length > 0 || alerts.memory !== null);
      if (events.length === 0 && snapshot === null && !hasAlerts) return await heartbeat(at);
      lastKey = key;
      lastTouchMs = atMs;
      await enqueue({ kind: 'batch', events, atMs, snapshot, incidentId, alerts: hasAlerts ? alerts : null });
    } catch (err) {
      log?.error({ err: describeError(err) }, 'history append failed');
    }
  }

  function status(): StoreStatus {
    const waitedMs = queue.oldestMs();
    const slow = waitedMs > slowAfterMs ? `history database slow: a write has waited ${Math.round(waitedMs / 1000)} s` : null;
    const error = queue.error() ?? rollupError ?? slow ?? backend.problem?.() ?? null;
    return error === null ? { ok: true, queued: queue.size() } : { ok: false, error, queued: queue.size() };
  }

  const guarded = unavailableWhenAway;

  const flush = async (): Promise<void> => {
    await queue.settled();
    await rollupFlight;
  };

  return {
    kind: backend.kind,
    append,
    heartbeat,
    async recordStartGap(now) {
      const atMs = toMs(now);
      lastTouchMs = atMs;
      const outcome = await enqueue({ kind: 'heartbeat', atMs, incidentId });
      return outcome.committed ? outcome.result : null;
    },
    recordProbes(nodeId, probes, at) {
      try {
        const atMs = toMs(at);
        aggregator.add(nodeId, probes, atMs);
        const minute = Math.floor(atMs / 60_000);
        if (lastFlushMinute === null) lastFlushMinute = minute;
        if (minute > lastFlushMinute) {
          lastFlushMinute = minute;
          void flushRollups(aggregator.takeBefore(minute), minute);
        }
      } catch (err) {
        log?.error({ err: describeError(err) }, 'probe rollup failed');
      }
    },
    loadLatestCore: guarded(queries.loadLatestCore),
    async windowDurations(beforeMs) {
      try {
        return await queries.windowDurations(beforeMs);
      } catch (err) {
        log?.error({ err: describeError(err) }, 'window durations not read');
        return { failover: [], failback: [] };
      }
    },
    status,
    async health() {
      const { ok, error, queued } = status();
      let sizeBytes = 0;
      try {
        sizeBytes = await settleWithin(backend.sizeBytes(), SIZE_READ_MS, () => new Error('no answer'));
      } catch {
        // The size is a figure, not a verdict: a database that cannot say keeps the last one.
      }
      const health: StoreHealth = { ok, sizeBytes, queued };
      if (error !== undefined) health.error = error;
      return health;
    },
    flush,
    listIncidents: guarded(queries.listIncidents),
    incidentDetail: guarded(queries.incidentDetail),
    annotate: guarded(queries.annotate),
    setFollowUp: guarded(queries.setFollowUp),
    availability: guarded(queries.availability),
    replay: guarded(queries.replay),
    probeSeries: guarded(queries.probeSeries),
    downSince: guarded(queries.downSince),
    accounts: guardedAccounts(accountStore(sql)),
    switchHistory: {
      async record(events) {
        if (events.length === 0) return;
        try {
          await enqueue({ kind: 'switches', events });
        } catch (err) {
          log?.error({ err: describeError(err) }, 'status database history not queued');
        }
      },
      async latest() {
        try {
          return await queries.latestSwitchCodes();
        } catch (err) {
          log?.error({ err: describeError(err) }, 'status database history not read');
          return { codes: {}, since: {} };
        }
      },
      async latestServices() {
        try {
          return await queries.latestServiceStates();
        } catch (err) {
          log?.error({ err: describeError(err) }, 'status database history not read');
          return {};
        }
      },
    },
    notify: (() => {
      const outbox = outboxRepository(sql);
      return {
        memory: guarded(outbox.memory),
        pending: guarded(outbox.pending),
        markSent: guarded(outbox.markSent),
        markRetry: guarded(outbox.markRetry),
        markFailed: guarded(outbox.markFailed),
        retry: guarded(outbox.retry),
        counts: guarded(outbox.counts),
        undeliverable: guarded(outbox.undeliverable),
        messages: guarded(outbox.messages),
      };
    })(),
    maintenance: (() => {
      const windows = maintenanceRepository(sql);
      return { list: guarded(windows.list), add: guarded(windows.add), remove: guarded(windows.remove) };
    })(),
    cluster: (() => {
      const rows = clusterRepository(sql);
      return { leaderLive: guarded(rows.leaderLive), members: guarded(rows.members) };
    })(),
    async lead() {
      queue.reset();
      aggregator.takeAll();
      pendingMinutes = [];
      recorder.newRun();
      const position = await readWriterPosition(sql);
      seq = position.seq;
      lastTouchMs = null;
      const stored = await queries.loadLatestCore();
      lastKey = stored ? visibleKey(stored.core) : null;
      incidentId = stored?.core.hq.incident?.id ?? null;
      return stored;
    },
    standDown() {
      const dropped = queue.reset();
      aggregator.takeAll();
      pendingMinutes = [];
      if (dropped > 0) log?.warn({ dropped }, 'no longer leading: writes not committed are left to the new leader');
    },
    async close() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), opts.closeTimeoutMs ?? 5_000)));
      const landed = (async () => {
        const minutes = aggregator.takeAll();
        const lastMinute = minutes.reduce((max, m) => Math.max(max, m.minute), 0);
        pendingMinutes.push(...minutes);
        // A flight in progress took its minutes before these: a few turns, in case the database fails.
        for (let turn = 0; turn < 3 && (pendingMinutes.length > 0 || rollupFlight); turn++) await flushRollups([], lastMinute);
        queue.drain(); // one last try for what waits behind a failure
        await queue.settled();
      })();
      if ((await Promise.race([landed, deadline])) === 'late') log?.error('history writes still waiting at close');
      clearTimeout(timer);
      closed = true;
      clearTimeout(rollupRetry.timer);
      queue.close();
      // A write still in flight (past the deadline) ends before the database closes under it.
      await Promise.race([Promise.all([queue.settled(), rollupFlight]), new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      if (queue.size() > 0) log?.error({ queued: queue.size() }, 'history batches lost at close');
      await backend.close();
    },
  };
}
