import type { Database } from 'better-sqlite3';
import type { ImpactChangedEvent, ServiceKey, ServiceStatus } from '@hqwatch/shared';
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

const COLUMNS = `site_id AS siteId, service, status, previous, ended_to AS endedTo, (SELECT text FROM reasons WHERE id = reason_id) AS reason,
  started_at AS startedAt, ended_at AS endedAt, incident_id AS incidentId`;

/**
 * Per-site, per-service impact intervals, kept from the impact changes of the event stream. `ok`
 * time is not stored: it is whatever monitored time no interval covers.
 */
export function impactRepository(db: Database) {
  const findOpen = db.prepare('SELECT id FROM impact_intervals WHERE site_id = ? AND service = ? AND ended_at IS NULL').pluck();
  const close = db.prepare('UPDATE impact_intervals SET ended_at = ?, ended_to = ? WHERE id = ?');
  const insertRow = db.prepare(
    `INSERT INTO impact_intervals (site_id, service, status, previous, reason_id, started_at, ended_at, ended_to, incident_id)
     VALUES (:siteId, :service, :status, :previous, :reasonId, :startedAt, :endedAt, :endedTo, :incidentId)`,
  );
  const findReason = db.prepare('SELECT id FROM reasons WHERE text = ?').pluck();
  const addReason = db.prepare('INSERT INTO reasons (text) VALUES (?)');
  const reasonId = (text: string | null): number | null => {
    if (text === null) return null;
    return (findReason.get(text) as number | undefined) ?? Number(addReason.run(text).lastInsertRowid);
  };
  const insert = ({ reason, ...row }: IntervalRow): void => void insertRow.run({ ...row, reasonId: reasonId(reason) });
  const adopt = db.prepare(
    "UPDATE impact_intervals SET incident_id = ? WHERE ended_at IS NULL AND incident_id IS NULL AND status IN ('down', 'unknown')",
  );
  const openDown = db.prepare("SELECT site_id AS siteId, service FROM impact_intervals WHERE ended_at IS NULL AND status = 'down'");
  const byIncident = db.prepare(`SELECT ${COLUMNS} FROM impact_intervals WHERE incident_id = ? ORDER BY site_id, service, started_at`);
  const overlapping = db.prepare(
    `SELECT ${COLUMNS} FROM impact_intervals WHERE ended_at > :from AND started_at < :to
     UNION ALL SELECT ${COLUMNS} FROM impact_intervals WHERE ended_at IS NULL AND started_at < :to`,
  );

  return {
    /**
     * Ends the service's open interval and opens the next one unless it is back to `ok`. A change
     * away from a status with no open interval (the monitor's first verdict after start) records
     * that status from `heldSinceMs`, the start of the monitor's run.
     */
    change(e: ImpactChangedEvent, heldSinceMs: number): void {
      const at = toMs(e.at);
      const openId = findOpen.get(e.siteId, e.service) as number | undefined;
      const base = { siteId: e.siteId, service: e.service, incidentId: e.incidentId };
      if (openId !== undefined) close.run(at, e.to, openId);
      else if (e.from !== 'ok' && heldSinceMs < at) {
        insert({ ...base, status: e.from, previous: 'ok', reason: null, startedAt: heldSinceMs, endedAt: at, endedTo: e.to });
      }
      if (e.to !== 'ok')
        insert({ ...base, status: e.to, previous: e.from, reason: e.reason ?? null, startedAt: at, endedAt: null, endedTo: null });
    },
    /** Intervals still open when an incident opens become part of it (a server down before HQ failed). */
    adoptOpen(incidentId: string): void {
      adopt.run(incidentId);
    },
    /** Services down right now, per site. */
    openDown(): { siteId: string; service: ServiceKey }[] {
      return openDown.all() as { siteId: string; service: ServiceKey }[];
    },
    forIncident(incidentId: string): IntervalRow[] {
      return byIncident.all(incidentId) as IntervalRow[];
    },
    overlapping(fromMs: number, toMs: number): IntervalRow[] {
      return overlapping.all({ from: fromMs, to: toMs }) as IntervalRow[];
    },
  };
}

export type ImpactRepository = ReturnType<typeof impactRepository>;
