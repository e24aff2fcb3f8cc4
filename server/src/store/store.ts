import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type {
  Annotation,
  AnnotationInput,
  AvailabilityReport,
  EngineCore,
  HistoryEvent,
  HqwatchConfig,
  IncidentDetail,
  IncidentList,
  MonitorGapEvent,
  ProbeView,
  StoreHealth,
  SwitchHistoryEvent,
  WindowHistory,
} from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import { annotationsRepository } from './annotations.repository.ts';
import { openDatabase } from './database.ts';
import { eventsRepository } from './events.repository.ts';
import { impactRepository } from './impact.repository.ts';
import { incidentsRepository } from './incidents.repository.ts';
import { createRecorder, type Batch } from './recorder.ts';
import { createRollupAggregator } from './rollup-aggregator.ts';
import { historyQueries, type IncidentQuery } from './queries.ts';
import type { ReplayResult } from './replay.ts';
import { rollupsRepository, type ProbeSeries } from './rollups.repository.ts';
import { runsRepository } from './runs.repository.ts';
import { snapshotsRepository, type StoredCore } from './snapshots.repository.ts';
import { switchesRepository, type SwitchCodesAt } from './switches.repository.ts';
import { toMs } from './time.ts';
import { createWriteQueue } from './write-queue.ts';
import { windowDurationsQuery } from './window-durations.ts';

export { StoreOpenError, STORE_EXIT_CODES } from './database.ts';
export type { ReplayResult } from './replay.ts';
export type { IncidentQuery } from './queries.ts';
export type { SwitchCodesAt } from './switches.repository.ts';

/** What the status database poller writes each read and reads back at start. */
export interface SwitchHistoryStore {
  /** Records switch and source changes of one read; never throws. */
  record(events: SwitchHistoryEvent[]): void;
  /** The last recorded code of every switch, so a restart records only real changes. */
  latest(): SwitchCodesAt;
}

export interface StoreOptions {
  dataDir: string;
  /** Days of probe rollups kept; everything else is kept until deleted. */
  retentionDays: number;
  /** How often the WAL is checkpointed into the database file. */
  checkpointIntervalMs: number;
  log?: Logger;
  busyTimeoutMs?: number;
  /** Most failed batches held in memory for a retry. */
  maxQueued?: number;
}

/** The history store: what the monitor writes each round and what the history API reads. */
export interface Store {
  /** Commits one round's events (and the engine core when it changed) before the caller broadcasts; never throws. */
  append(events: HistoryEvent[], core: EngineCore, at: string): void;
  /** Marks the monitor alive; the next start records the time since the last heartbeat as a gap. */
  heartbeat(at: string): void;
  /** Starts this run now, recording the gap since the last one; the first append or heartbeat does it otherwise. */
  recordStartGap(now: string): MonitorGapEvent | null;
  recordProbes(nodeId: string, probes: ProbeView[], at: string): void;
  /** The newest stored engine core, so a restart continues the same incident and window. */
  loadLatestCore(): StoredCore | null;
  /** Durations of recent closed failovers and failbacks (closed by `beforeMs`), for the ETA of an open window. */
  windowDurations(beforeMs?: number): WindowHistory;
  health(): StoreHealth;
  listIncidents(query: IncidentQuery, config: HqwatchConfig): IncidentList;
  incidentDetail(id: string, config: HqwatchConfig): IncidentDetail | null;
  /** Null when the incident does not exist. */
  annotate(incidentId: string, input: AnnotationInput, now: string): Annotation | null;
  availability(from: string, to: string, config: HqwatchConfig): AvailabilityReport;
  replay(incidentId: string, at: string, config: HqwatchConfig): ReplayResult;
  probeSeries(nodeId: string, from: string, to: string): ProbeSeries[];
  /** History of the ShoreWare status database (switch changes, source status). */
  switchHistory: SwitchHistoryStore;
  close(): void;
}

/** Opens the store in `opts.dataDir`; throws StoreOpenError when the database cannot be used. */
export function openStore(opts: StoreOptions): Store {
  return createStore(openDatabase(opts.dataDir, { busyTimeoutMs: opts.busyTimeoutMs }), opts);
}

/** The part of an engine core that shows in the live state: a snapshot is stored when it changes. */
function visibleKey(core: EngineCore): string {
  const nodes = Object.entries(core.nodes).map(([id, n]) => [id, n.status, n.since, n.flapping]);
  return JSON.stringify([core.hq, nodes]);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The store over an open database (tests pass one they have tuned, e.g. with a tiny page limit). */
export function createStore(db: Database, opts: Omit<StoreOptions, 'dataDir' | 'busyTimeoutMs'>): Store {
  const { log } = opts;
  const repos = {
    events: eventsRepository(db),
    incidents: incidentsRepository(db),
    impact: impactRepository(db),
    snapshots: snapshotsRepository(db),
    runs: runsRepository(db),
    switches: switchesRepository(db),
  };
  const annotations = annotationsRepository(db);
  const rollups = rollupsRepository(db);
  const aggregator = createRollupAggregator();
  const recorder = createRecorder(db, repos);
  const windowDurations = windowDurationsQuery(db);
  const latest = repos.snapshots.latest();
  let lastKey = latest ? visibleKey(latest.core) : null;
  let incidentId = latest?.core.hq.incident?.id ?? null;
  let lastHeartbeat: number | null = null;
  let lastFlushMinute: number | null = null;
  let lastRetentionHour: number | null = null;
  let rollupError: string | null = null;

  const queue = createWriteQueue<Batch>({
    max: opts.maxQueued ?? 10_000,
    write: (batch) => {
      const gap = recorder.write(batch);
      if (gap) log?.warn({ from: gap.from, to: gap.to }, 'monitor was down');
    },
    onError: (err, queued) => log?.error({ err: describe(err), queued }, 'history write failed; will retry'),
  });

  function flushRollups(minutes: ReturnType<typeof aggregator.takeAll>, nowMinute: number): void {
    if (minutes.length === 0) return;
    try {
      db.transaction(() => rollups.write(minutes))();
      rollupError = null;
    } catch (err) {
      rollups.forgetIds();
      rollupError = describe(err);
      log?.error({ err: rollupError }, 'probe rollups not written');
      return;
    }
    const hour = Math.floor(nowMinute / 60);
    if (lastRetentionHour === hour) return;
    lastRetentionHour = hour;
    try {
      const deleted = rollups.deleteBefore(hour - opts.retentionDays * 24);
      if (deleted > 0) log?.info({ deleted }, 'old probe rollups deleted');
    } catch (err) {
      log?.warn({ err: describe(err) }, 'rollup retention failed');
    }
  }

  function checkpoint(mode: 'PASSIVE' | 'TRUNCATE'): void {
    try {
      db.pragma(`wal_checkpoint(${mode})`);
    } catch (err) {
      log?.warn({ err: describe(err) }, 'checkpoint failed');
    }
  }
  const timer = setInterval(() => checkpoint('PASSIVE'), opts.checkpointIntervalMs);
  timer.unref();

  const fileSize = (file: string): number => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };

  /** Writes come from the monitor's round: whatever happens, they never throw into it. */
  function neverThrows<A extends unknown[]>(what: string, fn: (...args: A) => void): (...args: A) => void {
    return (...args) => {
      try {
        fn(...args);
      } catch (err) {
        log?.error({ err: describe(err) }, `${what} failed`);
      }
    };
  }

  function heartbeat(at: string): void {
    const atMs = toMs(at);
    if (atMs === lastHeartbeat) return;
    try {
      const gap = recorder.heartbeat(atMs, incidentId);
      if (gap) log?.warn({ from: gap.from, to: gap.to }, 'monitor was down');
      lastHeartbeat = atMs;
    } catch (err) {
      log?.error({ err: describe(err) }, 'heartbeat not written');
    }
    // A failing disk may have recovered: give queued batches their retry.
    if (queue.size() > 0) queue.drain();
  }

  function append(events: HistoryEvent[], core: EngineCore, at: string): void {
    const atMs = toMs(at);
    const key = visibleKey(core);
    const snapshot = key === lastKey ? null : JSON.stringify(core);
    incidentId = core.hq.incident?.id ?? null;
    // Most rounds change nothing: they only mark the monitor alive (and retry what waits).
    if (events.length === 0 && snapshot === null) return heartbeat(at);
    lastKey = key;
    queue.push({ events, atMs, snapshot, incidentId });
    if (queue.size() === 0) lastHeartbeat = atMs;
  }

  function recordProbes(nodeId: string, probes: ProbeView[], at: string): void {
    const atMs = toMs(at);
    aggregator.add(nodeId, probes, atMs);
    const minute = Math.floor(atMs / 60_000);
    if (lastFlushMinute === null) lastFlushMinute = minute;
    if (minute > lastFlushMinute) {
      lastFlushMinute = minute;
      flushRollups(aggregator.takeBefore(minute), minute);
    }
  }

  return {
    append: neverThrows('history append', append),
    heartbeat: neverThrows('heartbeat', heartbeat),
    recordStartGap(now) {
      try {
        const gap = recorder.heartbeat(toMs(now), incidentId);
        lastHeartbeat = toMs(now);
        return gap;
      } catch (err) {
        log?.error({ err: describe(err) }, 'monitor start not recorded');
        return null;
      }
    },
    recordProbes: neverThrows('probe rollup', recordProbes),
    loadLatestCore: () => repos.snapshots.latest(),
    windowDurations(beforeMs) {
      try {
        return windowDurations(beforeMs);
      } catch (err) {
        log?.error({ err: describe(err) }, 'window durations not read');
        return { failover: [], failback: [] };
      }
    },
    health() {
      const error = queue.error() ?? rollupError;
      const sizeBytes = fileSize(db.name) + fileSize(`${db.name}-wal`);
      const health: StoreHealth = { ok: error === null, sizeBytes, queued: queue.size() };
      if (error !== null) health.error = error;
      return health;
    },
    ...historyQueries(repos, annotations, rollups, windowDurations),
    switchHistory: {
      record: neverThrows('status database history', (events: SwitchHistoryEvent[]) => repos.switches.record(events)),
      latest: () => {
        try {
          return repos.switches.latest();
        } catch (err) {
          log?.error({ err: describe(err) }, 'status database history not read');
          return { codes: {}, since: {} };
        }
      },
    },
    close() {
      clearInterval(timer);
      const minutes = aggregator.takeAll();
      flushRollups(
        minutes,
        minutes.reduce((max, m) => Math.max(max, m.minute), 0),
      );
      queue.drain();
      if (queue.size() > 0) log?.error({ queued: queue.size() }, 'history batches lost at close');
      checkpoint('TRUNCATE');
      db.close();
    },
  };
}
