/**
 * What the history store promises the rest of the server: the Store interface, its parts (outbox,
 * maintenance windows, status database history), where it lives and how it is opened. `store.ts`
 * builds it.
 */
import type {
  AlertMemory,
  Annotation,
  AnnotationInput,
  AvailabilityReport,
  EngineCore,
  HistoryEvent,
  HqwatchConfig,
  IncidentDetail,
  IncidentList,
  MaintenanceWindow,
  MonitorGapEvent,
  NodeServiceStates,
  ProbeView,
  ServiceKey,
  StoreHealth,
  SwitchHistoryEvent,
  WindowHistory,
} from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { AccountStore } from './accounts.ts';
import type { PostgresLocation } from './backend-postgres.ts';
import type { ClusterMember, LeaderLive } from './cluster.repository.ts';
import type { MessageRecord, OutboxRow, RoundAlerts, UndeliverableRow } from './outbox.repository.ts';
import type { IncidentQuery } from './queries.ts';
import type { ReplayResult } from './replay.ts';
import type { ProbeSeries } from './rollups.repository.ts';
import type { StoredCore } from './snapshots.repository.ts';
import type { SqlDatabase } from './sql/sql.ts';
import type { SwitchCodesAt } from './switches.repository.ts';

/**
 * The outbox as the notifier works it (`notify/`): its rows are written by `append` with the round
 * that caused them; delivery results are written here, outside the round queue (a delivery that
 * cannot be marked is sent again after a restart: at least once).
 */
export interface NotifyStore {
  /** The alert model's open threads as last committed; null before the first. */
  memory(): Promise<AlertMemory | null>;
  pending(limit: number): Promise<OutboxRow[]>;
  markSent(id: number, attempts: number, atMs: number): Promise<void>;
  markRetry(id: number, attempts: number, nextAtMs: number, error: string): Promise<void>;
  markFailed(id: number, attempts: number, error: string): Promise<void>;
  retry(id: number, nowMs: number, deadlineAtMs: number): Promise<boolean>;
  counts(): Promise<{ channelId: string; pending: number; failed: number }[]>;
  undeliverable(limit: number): Promise<UndeliverableRow[]>;
  messages(query: { incidentId?: string; limit: number }): Promise<MessageRecord[]>;
}

/** Planned maintenance windows, written by operators (REST, `hqwatch maintenance`). */
export interface MaintenanceStore {
  list(fromMs?: number | null): Promise<MaintenanceWindow[]>;
  add(window: { id: string; fromMs: number; toMs: number; reason: string; createdAtMs: number }): Promise<MaintenanceWindow>;
  remove(id: string, nowMs: number): Promise<{ window: MaintenanceWindow; removed: boolean } | null>;
}

/** What the status database poller writes each read and reads back at start. */
export interface SwitchHistoryStore {
  /**
   * Queues the switch and source changes of one read behind the writes before it (in order with the
   * rounds' batches, committed together) and resolves once they are committed, or safely queued
   * behind a failure. Never rejects.
   */
  record(events: SwitchHistoryEvent[]): Promise<void>;
  /** The last recorded code of every switch, so a restart records only real changes; empty when it cannot be read. Never rejects. */
  latest(): Promise<SwitchCodesAt>;
  /** The last recorded state of every server service, per node, for the same reason; empty when it cannot be read. Never rejects. */
  latestServices(): Promise<NodeServiceStates>;
}

/** A stretch one service of one site was unavailable (`endedAt` null while it lasts). */
export interface SiteDownInterval {
  siteId: string;
  service: ServiceKey;
  startedAt: number;
  endedAt: number | null;
}

export type StoreKind = 'sqlite' | 'postgres';

/** A read the database could not answer because it is away (PostgreSQL unreachable): worth a retry later. */
export class StoreUnavailableError extends Error {
  constructor(detail: string) {
    super(`the history database is not answering (${detail})`);
    this.name = 'StoreUnavailableError';
  }
}

export interface StoreOptions {
  /** Days of probe rollups kept; everything else is kept until deleted. */
  retentionDays: number;
  log?: Logger;
  /** Most failed or waiting writes held in memory for a retry. */
  maxQueued?: number;
  /** A write still waiting after this long makes the store report itself slow (ms). */
  slowAfterMs?: number;
  /** The longest `close` waits for queued writes to land (ms). */
  closeTimeoutMs?: number;
  /**
   * The leadership term the writes are made under; the store refuses writes from a term older than
   * the one it has recorded. 0 (no leadership) unless a leader election supplies one.
   */
  term?: () => number;
}

/** What differs per backend besides the SQL: size figures, its own upkeep, how it closes. */
export interface StoreBackend {
  kind: StoreKind;
  sql: SqlDatabase;
  /** Bytes the history takes on disk (SQLite: file and WAL; PostgreSQL: the schema's tables and indexes). */
  sizeBytes(): Promise<number>;
  /** A problem the backend knows of outside the writes (e.g. its writer lock lost), or null. */
  problem?(): string | null;
  /** After the last write: checkpoint, release locks, close connections. */
  close(): Promise<void>;
}

/** The write path's state, read synchronously by the monitor each round. */
export interface StoreStatus {
  ok: boolean;
  error?: string;
  /** Writes not yet committed: waiting behind a failure, or behind a slow database. */
  queued: number;
}

/** The history store: what the monitor writes each round and what the history API reads. */
export interface Store {
  readonly kind: StoreKind;
  /**
   * Queues one round's events (and the engine core when it changed) and resolves once they are
   * committed, or once they are safely queued behind a failure for a retry. Never rejects. The
   * alerts the events caused (outbox rows, the alert memory) are committed in the same transaction.
   */
  append(events: HistoryEvent[], core: EngineCore, at: string, alerts?: RoundAlerts | null): Promise<void>;
  /** Marks the monitor alive; the next start records the time since the last heartbeat as a gap. Never rejects. */
  heartbeat(at: string): Promise<void>;
  /** Starts this run now, recording the gap since the last one; the first append or heartbeat does it otherwise. */
  recordStartGap(now: string): Promise<MonitorGapEvent | null>;
  /** Folds probe results into per-minute rollups, written in the background once a minute. */
  recordProbes(nodeId: string, probes: ProbeView[], at: string): void;
  /** The newest stored engine core, so a restart continues the same incident and window. */
  loadLatestCore(): Promise<StoredCore | null>;
  /**
   * Durations of recent closed failovers and failbacks (closed by `beforeMs`), for the ETA of an
   * open window. Never rejects: none when they cannot be read.
   */
  windowDurations(beforeMs?: number): Promise<WindowHistory>;
  /** The write path's health, without touching the database. */
  status(): StoreStatus;
  health(): Promise<StoreHealth>;
  /** Resolves once every queued write has landed or waits behind a failure, and the rollups in flight are written. */
  flush(): Promise<void>;
  listIncidents(query: IncidentQuery, config: HqwatchConfig): Promise<IncidentList>;
  incidentDetail(id: string, config: HqwatchConfig): Promise<IncidentDetail | null>;
  /** Null when the incident does not exist. */
  annotate(incidentId: string, input: AnnotationInput, now: string): Promise<Annotation | null>;
  /** Marks a note of the incident as a follow-up (or not); null when there is no such note. */
  setFollowUp(incidentId: string, annotationId: string, followUp: boolean): Promise<Annotation | null>;
  /** Per site and service; `planned: 'exclude'` leaves the time inside maintenance windows out. */
  availability(from: string, to: string, config: HqwatchConfig, planned?: 'include' | 'exclude'): Promise<AvailabilityReport>;
  replay(incidentId: string, at: string, config: HqwatchConfig): Promise<ReplayResult>;
  probeSeries(nodeId: string, from: string, to: string): Promise<ProbeSeries[]>;
  /** Every site's `down` intervals still open or ended after `fromMs`: what the status page's history is made of. */
  downSince(fromMs: number): Promise<SiteDownInterval[]>;
  /** History of the ShoreWare status database (switch changes, source status). */
  switchHistory: SwitchHistoryStore;
  notify: NotifyStore;
  maintenance: MaintenanceStore;
  /** Users, kiosk displays, sessions (`accounts.ts`); reads and writes reject with StoreUnavailableError while the database is away. */
  accounts: AccountStore;
  /**
   * Leadership changed hands to this instance under `term` (already recorded in `store_writer`):
   * forgets what an earlier leadership left queued, continues the writer's sequence from the store,
   * starts a new monitor run (the time since the last leader's heartbeat is recorded as a gap) and
   * returns the newest engine core, read after the term was taken, so the same incident and window go on.
   */
  lead(): Promise<StoredCore | null>;
  /** The leadership tables: the leader's published live state, and every instance's row. Rejects while the database is away. */
  cluster: { leaderLive(): Promise<LeaderLive | null>; members(): Promise<ClusterMember[]> };
  /** This instance no longer leads: queued writes and unwritten rollups are dropped (another writes now). */
  standDown(): void;
  /** Writes what waits (for a while at most), then closes the database. */
  close(): Promise<void>;
}

/** Where the history lives: SQLite in the data directory (the default), or a PostgreSQL schema. */
export type StoreLocation =
  | {
      kind?: 'sqlite';
      dataDir: string;
      /** How often the WAL is checkpointed into the database file. */
      checkpointIntervalMs: number;
      /** How long to wait for a lock held by someone else before giving up. */
      busyTimeoutMs?: number;
    }
  | ({ kind: 'postgres' } & PostgresLocation);
