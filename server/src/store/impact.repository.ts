import type { ImpactChangedEvent, ServiceKey, ServiceStatus } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';
import { toMs } from './time.ts';

/** A stretch of time one service of one site was not `ok` (only those are stored). */
export interface IntervalRow {
  siteId: string;
  service: ServiceKey;
  status: ServiceStatus;
  /** The status before it, and the one after it once ended. */
  previous: ServiceStatus;
  endedTo: ServiceStatus | null;
  reason: string | null;
  startedAt: number;
  endedAt: number | null;
  incidentId: string | null;
}

const COLUMNS = `site_id AS "siteId", service, status, previous, ended_to AS "endedTo", (SELECT text FROM reasons WHERE id = reason_id) AS reason,
  started_at AS "startedAt", ended_at AS "endedAt", incident_id AS "incidentId"`;

/**
 * Reason text → id, kept across transactions: the same few sentences recur at every window. Cleared
 * when a transaction fails, since it may have cached an id that was rolled back.
 */
export type ReasonIds = Map<string, number>;

/**
 * Per-site, per-service impact intervals, kept from the impact changes of the event stream. `ok`
 * time is not stored: it is whatever monitored time no interval covers.
 */
export function impactRepository(sql: Sql, reasons: ReasonIds = new Map()) {
  async function reasonId(text: string | null): Promise<number | null> {
    if (text === null) return null;
    let id = reasons.get(text);
    if (id === undefined) {
      const found = await sql.get<{ id: number }>('SELECT id FROM reasons WHERE text = ?', [text]);
      id = found?.id ?? (await sql.get<{ id: number }>('INSERT INTO reasons (text) VALUES (?) RETURNING id', [text]))!.id;
      reasons.set(text, id);
    }
    return id;
  }
  async function insert(row: IntervalRow): Promise<void> {
    await sql.run(
      `INSERT INTO impact_intervals (site_id, service, status, previous, reason_id, started_at, ended_at, ended_to, incident_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        row.siteId,
        row.service,
        row.status,
        row.previous,
        await reasonId(row.reason),
        row.startedAt,
        row.endedAt,
        row.endedTo,
        row.incidentId,
      ],
    );
  }

  return {
    /**
     * Ends the service's open interval and opens the next one unless it is back to `ok`. A change
     * away from a status with no open interval (the monitor's first verdict after start) records
     * that status from `heldSinceMs`, the start of the monitor's run.
     */
    async change(e: ImpactChangedEvent, heldSinceMs: number): Promise<void> {
      const at = toMs(e.at);
      const open = await sql.get<{ id: number }>('SELECT id FROM impact_intervals WHERE site_id = ? AND service = ? AND ended_at IS NULL', [
        e.siteId,
        e.service,
      ]);
      const base = { siteId: e.siteId, service: e.service, incidentId: e.incidentId };
      if (open !== undefined) await sql.run('UPDATE impact_intervals SET ended_at = ?, ended_to = ? WHERE id = ?', [at, e.to, open.id]);
      else if (e.from !== 'ok' && heldSinceMs < at) {
        await insert({ ...base, status: e.from, previous: 'ok', reason: null, startedAt: heldSinceMs, endedAt: at, endedTo: e.to });
      }
      if (e.to !== 'ok')
        await insert({ ...base, status: e.to, previous: e.from, reason: e.reason ?? null, startedAt: at, endedAt: null, endedTo: null });
    },
    /** Intervals still open when an incident opens become part of it (a server down before HQ failed). */
    async adoptOpen(incidentId: string): Promise<void> {
      await sql.run(
        "UPDATE impact_intervals SET incident_id = ? WHERE ended_at IS NULL AND incident_id IS NULL AND status IN ('down', 'unknown')",
        [incidentId],
      );
    },
    /** Services down right now, per site. */
    openDown: (): Promise<{ siteId: string; service: ServiceKey }[]> =>
      sql.all(`SELECT site_id AS "siteId", service FROM impact_intervals WHERE ended_at IS NULL AND status = 'down'`),
    forIncident: (incidentId: string): Promise<IntervalRow[]> =>
      sql.all(`SELECT ${COLUMNS} FROM impact_intervals WHERE incident_id = ? ORDER BY site_id, service, started_at`, [incidentId]),
    overlapping: (fromMs: number, toMs: number): Promise<IntervalRow[]> =>
      sql.all(
        `SELECT ${COLUMNS} FROM impact_intervals WHERE ended_at > ? AND started_at < ?
         UNION ALL SELECT ${COLUMNS} FROM impact_intervals WHERE ended_at IS NULL AND started_at < ?`,
        [fromMs, toMs, toMs],
      ),
  };
}

export type ImpactRepository = ReturnType<typeof impactRepository>;
