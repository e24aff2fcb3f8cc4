import type { ImpactChangedEvent, ServiceKey, ServiceStatus } from '@hqwatch/shared';
import { insertRows } from './sql/batch.ts';
import { anyOf } from './sql/dialect.ts';
import type { Param, Sql } from './sql/sql.ts';
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

const INSERT_COLUMNS = ['site_id', 'service', 'status', 'previous', 'reason_id', 'started_at', 'ended_at', 'ended_to', 'incident_id'];

const pairKey = (siteId: string, service: string) => `${siteId}\u0000${service}`;

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

  /** Rows in a few multi-row INSERTs, in order. */
  async function insertAll(rows: readonly IntervalRow[]): Promise<void> {
    const values: Param[][] = [];
    for (const row of rows)
      values.push([
        row.siteId,
        row.service,
        row.status,
        row.previous,
        await reasonId(row.reason),
        row.startedAt,
        row.endedAt,
        row.endedTo,
        row.incidentId,
      ]);
    await insertRows(sql, 'impact_intervals', INSERT_COLUMNS, values);
  }

  /**
   * Applies a run of impact changes, in order, in a few statements whatever their number: the open
   * intervals of the sites concerned are read once, the ones that end are closed per (time, next
   * status), and the new ones inserted together. Each change ends the service's open interval and
   * opens the next one unless it is back to `ok`. A change away from a status with no open interval
   * (the monitor's first verdict after start) records that status from `heldSinceMs`, the start of
   * the monitor's run.
   */
  async function changeAll(changes: readonly ImpactChangedEvent[], heldSinceMs: number): Promise<void> {
    if (changes.length === 0) return;
    const sites = anyOf(sql, 'site_id', [...new Set(changes.map((e) => e.siteId))]);
    const stored = await sql.all<{ id: number; siteId: string; service: string }>(
      `SELECT id, site_id AS "siteId", service FROM impact_intervals WHERE ended_at IS NULL AND ${sites.text}`,
      sites.params,
    );
    // Open intervals: stored (an id to close) or opened by an earlier change of this run (a row to end).
    const open = new Map<string, { id: number } | { row: IntervalRow }>(stored.map((r) => [pairKey(r.siteId, r.service), { id: r.id }]));
    const closes = new Map<string, { at: number; to: ServiceStatus; ids: number[] }>();
    const inserts: IntervalRow[] = [];
    for (const e of changes) {
      const at = toMs(e.at);
      const key = pairKey(e.siteId, e.service);
      const held = open.get(key);
      const base = { siteId: e.siteId, service: e.service, incidentId: e.incidentId };
      if (held && 'id' in held) {
        const group = closes.get(`${at}\u0000${e.to}`) ?? { at, to: e.to, ids: [] };
        group.ids.push(held.id);
        closes.set(`${at}\u0000${e.to}`, group);
      } else if (held) {
        held.row.endedAt = at;
        held.row.endedTo = e.to;
      } else if (e.from !== 'ok' && heldSinceMs < at) {
        inserts.push({ ...base, status: e.from, previous: 'ok', reason: null, startedAt: heldSinceMs, endedAt: at, endedTo: e.to });
      }
      open.delete(key);
      if (e.to !== 'ok') {
        const row: IntervalRow = {
          ...base,
          status: e.to,
          previous: e.from,
          reason: e.reason ?? null,
          startedAt: at,
          endedAt: null,
          endedTo: null,
        };
        inserts.push(row);
        open.set(key, { row });
      }
    }
    for (const { at, to, ids } of closes.values()) {
      const among = anyOf(sql, 'id', ids);
      await sql.run(`UPDATE impact_intervals SET ended_at = ?, ended_to = ? WHERE ${among.text}`, [at, to, ...among.params]);
    }
    await insertAll(inserts);
  }

  return {
    changeAll,
    /** One impact change (see {@link changeAll}). */
    change: (e: ImpactChangedEvent, heldSinceMs: number): Promise<void> => changeAll([e], heldSinceMs),
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
