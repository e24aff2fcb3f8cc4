import type { Database } from 'better-sqlite3';
import type { IncidentClosedEvent, IncidentOpenedEvent, WindowClosedEvent, WindowKind, WindowOpenedEvent } from '@hqwatch/shared';
import { toMs } from './time.ts';

export interface IncidentRow {
  id: string;
  startedAt: number;
  endedAt: number | null;
  /** The worst moment so far, see {@link WorstMoment}. */
  worst: WorstMoment | null;
}

/** The sites that had lost something, and those that had lost telephony, at the incident's worst moment. */
export interface WorstMoment {
  at: number;
  impacted: string[];
  telephony: string[];
}

export interface WindowRow {
  incidentId: string | null;
  kind: WindowKind;
  startedAt: number;
  endedAt: number | null;
  expectedMinMs: number;
  expectedMaxMs: number;
  /** 1 when the kind was recorded before hqwatch could tell a failover from a primary outage (migration 3). */
  legacyKind?: number;
}

export interface IncidentQuery {
  fromMs: number | null;
  toMs: number | null;
  limit: number;
  offset: number;
}

const INCIDENT_COLUMNS = 'id, started_at AS startedAt, ended_at AS endedAt, worst';
const WINDOW_COLUMNS =
  'incident_id AS incidentId, kind, started_at AS startedAt, ended_at AS endedAt, expected_min_ms AS expectedMinMs, expected_max_ms AS expectedMaxMs, legacy_kind AS legacyKind';
// Incidents that overlap [from, to); either end may be open.
const IN_RANGE = '(:to IS NULL OR started_at < :to) AND (:from IS NULL OR ended_at IS NULL OR ended_at >= :from)';

function readIncident(row: unknown): IncidentRow {
  const r = row as Omit<IncidentRow, 'worst'> & { worst: string | null };
  return { ...r, worst: r.worst === null ? null : (JSON.parse(r.worst) as WorstMoment) };
}

/** Incidents and their windows. Both are written from the events that open and close them. */
export function incidentsRepository(db: Database) {
  const open = db.prepare('INSERT INTO incidents (id, started_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
  const close = db.prepare(
    'INSERT INTO incidents (id, started_at, ended_at) VALUES (:id, :startedAt, :endedAt) ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at',
  );
  const setWorst = db.prepare('UPDATE incidents SET worst = ? WHERE id = ?');
  const get = db.prepare(`SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ?`);
  const page = db.prepare(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE ${IN_RANGE} ORDER BY started_at DESC LIMIT :limit OFFSET :offset`,
  );
  const count = db.prepare(`SELECT count(*) FROM incidents WHERE ${IN_RANGE}`).pluck();
  const openWindow = db.prepare(
    `INSERT INTO windows (started_at, incident_id, kind, expected_min_ms, expected_max_ms) VALUES (:startedAt, :incidentId, :kind, :min, :max)
     ON CONFLICT (started_at) DO UPDATE SET kind = excluded.kind`,
  );
  const closeWindow = db.prepare(
    `INSERT INTO windows (started_at, incident_id, kind, ended_at, expected_min_ms, expected_max_ms) VALUES (:startedAt, :incidentId, :kind, :endedAt, :min, :max)
     ON CONFLICT (started_at) DO UPDATE SET kind = excluded.kind, ended_at = excluded.ended_at`,
  );
  const windowsOf = db.prepare(
    `SELECT ${WINDOW_COLUMNS} FROM windows WHERE incident_id IN (SELECT value FROM json_each(?)) ORDER BY started_at`,
  );

  return {
    opened(e: IncidentOpenedEvent): void {
      open.run(e.incidentId, toMs(e.startedAt));
    },
    closed(e: IncidentClosedEvent): void {
      close.run({ id: e.incidentId, startedAt: toMs(e.startedAt), endedAt: toMs(e.endedAt) });
    },
    windowOpened(e: WindowOpenedEvent): void {
      openWindow.run({ startedAt: toMs(e.startedAt), incidentId: e.incidentId, kind: e.kind, min: e.expectedMinMs, max: e.expectedMaxMs });
    },
    windowClosed(e: WindowClosedEvent): void {
      const row = { startedAt: toMs(e.startedAt), incidentId: e.incidentId, kind: e.kind, endedAt: toMs(e.endedAt) };
      closeWindow.run({ ...row, min: e.expectedMinMs, max: e.expectedMaxMs });
    },
    worst(id: string): WorstMoment | null {
      const row = get.get(id);
      return row ? readIncident(row).worst : null;
    },
    setWorst(id: string, worst: WorstMoment): void {
      setWorst.run(JSON.stringify(worst), id);
    },
    get(id: string): IncidentRow | null {
      const row = get.get(id);
      return row ? readIncident(row) : null;
    },
    /** A page of incidents overlapping the range, newest first, and how many there are in all. */
    page(q: IncidentQuery): { rows: IncidentRow[]; total: number } {
      const range = { from: q.fromMs, to: q.toMs };
      const rows = page.all({ ...range, limit: q.limit, offset: q.offset }).map(readIncident);
      return { rows, total: count.get(range) as number };
    },
    /** Windows of these incidents, oldest first. */
    windowsOf(ids: readonly string[]): WindowRow[] {
      return ids.length === 0 ? [] : (windowsOf.all(JSON.stringify(ids)) as WindowRow[]);
    },
  };
}

export type IncidentsRepository = ReturnType<typeof incidentsRepository>;
