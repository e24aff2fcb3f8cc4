import type { IncidentClosedEvent, IncidentOpenedEvent, WindowClosedEvent, WindowKind, WindowOpenedEvent } from '@hqwatch/shared';
import { anyOf } from './sql/dialect.ts';
import type { Param, Sql } from './sql/sql.ts';
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
  /** 1 when the kind was recorded before hqwatch could tell a failover from a primary outage (SQLite step 4, PostgreSQL step 3). */
  legacyKind?: number;
}

export interface IncidentQuery {
  fromMs: number | null;
  toMs: number | null;
  limit: number;
  offset: number;
}

const INCIDENT_COLUMNS = 'id, started_at AS "startedAt", ended_at AS "endedAt", worst';
const WINDOW_COLUMNS =
  'incident_id AS "incidentId", kind, started_at AS "startedAt", ended_at AS "endedAt", expected_min_ms AS "expectedMinMs", expected_max_ms AS "expectedMaxMs", legacy_kind AS "legacyKind"';

function readIncident(row: Omit<IncidentRow, 'worst'> & { worst: string | null }): IncidentRow {
  return { ...row, worst: row.worst === null ? null : (JSON.parse(row.worst) as WorstMoment) };
}

/** Incidents that overlap [from, to); either end may be open. Only the bounds given are tested. */
function inRange(fromMs: number | null, toMs: number | null): { where: string; params: Param[] } {
  const terms: string[] = [];
  const params: Param[] = [];
  if (toMs !== null) {
    terms.push('started_at < ?');
    params.push(toMs);
  }
  if (fromMs !== null) {
    terms.push('(ended_at IS NULL OR ended_at >= ?)');
    params.push(fromMs);
  }
  return { where: terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`, params };
}

/** Incidents and their windows. Both are written from the events that open and close them. */
export function incidentsRepository(sql: Sql) {
  const get = async (id: string): Promise<IncidentRow | null> => {
    const row = await sql.get<Omit<IncidentRow, 'worst'> & { worst: string | null }>(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE id = ?`,
      [id],
    );
    return row ? readIncident(row) : null;
  };
  const upsertWindow = async (e: WindowOpenedEvent | WindowClosedEvent, endedAt: number | null): Promise<void> => {
    await sql.run(
      `INSERT INTO windows (started_at, incident_id, kind, ended_at, expected_min_ms, expected_max_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (started_at) DO UPDATE SET kind = excluded.kind${endedAt === null ? '' : ', ended_at = excluded.ended_at'}`,
      [toMs(e.startedAt), e.incidentId, e.kind, endedAt, e.expectedMinMs, e.expectedMaxMs],
    );
  };

  return {
    async opened(e: IncidentOpenedEvent): Promise<void> {
      await sql.run('INSERT INTO incidents (id, started_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [e.incidentId, toMs(e.startedAt)]);
    },
    async closed(e: IncidentClosedEvent): Promise<void> {
      await sql.run(
        'INSERT INTO incidents (id, started_at, ended_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET ended_at = excluded.ended_at',
        [e.incidentId, toMs(e.startedAt), toMs(e.endedAt)],
      );
    },
    windowOpened: (e: WindowOpenedEvent): Promise<void> => upsertWindow(e, null),
    windowClosed: (e: WindowClosedEvent): Promise<void> => upsertWindow(e, toMs(e.endedAt)),
    worst: async (id: string): Promise<WorstMoment | null> => (await get(id))?.worst ?? null,
    async setWorst(id: string, worst: WorstMoment): Promise<void> {
      await sql.run('UPDATE incidents SET worst = ? WHERE id = ?', [JSON.stringify(worst), id]);
    },
    get,
    /** A page of incidents overlapping the range, newest first, and how many there are in all. */
    async page(q: IncidentQuery): Promise<{ rows: IncidentRow[]; total: number }> {
      const range = inRange(q.fromMs, q.toMs);
      const [rows, count] = await Promise.all([
        sql.all<Omit<IncidentRow, 'worst'> & { worst: string | null }>(
          `SELECT ${INCIDENT_COLUMNS} FROM incidents ${range.where} ORDER BY started_at DESC LIMIT ? OFFSET ?`,
          [...range.params, q.limit, q.offset],
        ),
        sql.get<{ n: number }>(`SELECT count(*) AS n FROM incidents ${range.where}`, range.params),
      ]);
      return { rows: rows.map(readIncident), total: count?.n ?? 0 };
    },
    /** Windows of these incidents, oldest first. */
    async windowsOf(ids: readonly string[]): Promise<WindowRow[]> {
      if (ids.length === 0) return [];
      const among = anyOf(sql, 'incident_id', ids);
      return sql.all<WindowRow>(`SELECT ${WINDOW_COLUMNS} FROM windows WHERE ${among.text} ORDER BY started_at`, among.params);
    },
  };
}
