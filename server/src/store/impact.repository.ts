import {
  isReasonCode,
  renderReason,
  type ImpactChangedEvent,
  type ReasonCode,
  type ReasonParams,
  type ServiceKey,
  type ServiceStatus,
} from '@hqwatch/shared';
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
  /** In words: worded from the fact when there is one, else the sentence recorded before facts. */
  reason: string | null;
  /** The reason as data; absent for intervals recorded before reasons were facts (schema step 6). */
  reasonCode?: ReasonCode;
  params?: ReasonParams;
  startedAt: number;
  endedAt: number | null;
  incidentId: string | null;
}

/** An interval row and the reason it was stored with: a fact (code, params, site) or, before step 6, a sentence. */
interface StoredRow extends Omit<IntervalRow, 'reasonCode' | 'params'> {
  reasonCode: string | null;
  reasonParams: string | null;
  reasonSite: string | null;
}

const TIMES = `started_at AS "startedAt", ended_at AS "endedAt", incident_id AS "incidentId"`;
const KEYS = `site_id AS "siteId", service, status, previous, ended_to AS "endedTo"`;
/** With the reason: its sentence from before step 6, or its fact. */
const COLUMNS = `${KEYS}, (SELECT text FROM reasons WHERE id = reason_id) AS reason,
  f.code AS "reasonCode", f.params AS "reasonParams", f.site AS "reasonSite", ${TIMES}`;
const WITH_FACTS = 'impact_intervals LEFT JOIN reason_facts f ON f.id = reason_fact_id';
/** Without the reason: availability counts time, it words nothing. */
const TIME_COLUMNS = `${KEYS}, NULL AS reason, ${TIMES}`;

/** Parameters as stored; a damaged value reads as none rather than failing the whole answer. */
function storedParams(json: string | null): ReasonParams {
  try {
    const value: unknown = JSON.parse(json ?? '[]');
    return Array.isArray(value) ? (value as ReasonParams) : [];
  } catch {
    return [];
  }
}

/** The row as the store answers it: a fact worded by the one renderer, a sentence from before as it was. */
function readRow({ reasonCode, reasonParams, reasonSite, ...row }: StoredRow): IntervalRow {
  if (reasonCode === null) return row;
  const params = storedParams(reasonParams);
  const code = reasonCode as ReasonCode;
  return { ...row, reason: renderReason(code, params, { site: reasonSite ?? row.siteId, service: row.service }), reasonCode: code, params };
}

/**
 * Reason → id, kept across transactions: the same few reasons recur at every window. Keys are a
 * fact's JSON, or a sentence (`text:` before it) when an event carries no code. Cleared when a
 * transaction fails, since it may have cached an id that was rolled back.
 */
export type ReasonIds = Map<string, number>;

const INSERT_COLUMNS = [
  'site_id',
  'service',
  'status',
  'previous',
  'reason_id',
  'reason_fact_id',
  'started_at',
  'ended_at',
  'ended_to',
  'incident_id',
];

/** What an interval is stored with: the reason as a fact (with the site it was said of), or in words only. */
interface RowToStore extends IntervalRow {
  site?: string;
}

const pairKey = (siteId: string, service: string) => `${siteId}\u0000${service}`;

/**
 * Per-site, per-service impact intervals, kept from the impact changes of the event stream. `ok`
 * time is not stored: it is whatever monitored time no interval covers.
 */
export function impactRepository(sql: Sql, reasons: ReasonIds = new Map()) {
  /** The id of a sentence in `reasons`: what an event without a code is stored with, as before step 6. */
  async function sentenceId(text: string): Promise<number> {
    const key = `text:${text}`;
    let id = reasons.get(key);
    if (id === undefined) {
      const found = await sql.get<{ id: number }>('SELECT id FROM reasons WHERE text = ?', [text]);
      id = found?.id ?? (await sql.get<{ id: number }>('INSERT INTO reasons (text) VALUES (?) RETURNING id', [text]))!.id;
      reasons.set(key, id);
    }
    return id;
  }

  /** The id of a fact in `reason_facts`. */
  async function factId(code: ReasonCode, params: ReasonParams, site: string): Promise<number> {
    const json = JSON.stringify(params);
    const key = JSON.stringify([code, json, site]);
    let id = reasons.get(key);
    if (id === undefined) {
      const found = await sql.get<{ id: number }>('SELECT id FROM reason_facts WHERE code = ? AND params = ? AND site = ?', [
        code,
        json,
        site,
      ]);
      id =
        found?.id ??
        (await sql.get<{ id: number }>('INSERT INTO reason_facts (code, params, site) VALUES (?, ?, ?) RETURNING id', [code, json, site]))!
          .id;
      reasons.set(key, id);
    }
    return id;
  }

  /** Rows in a few multi-row INSERTs, in order; a reason with a code is stored as a fact, else as its sentence. */
  async function insertAll(rows: readonly RowToStore[]): Promise<void> {
    const values: Param[][] = [];
    for (const row of rows) {
      const fact = row.reasonCode !== undefined && isReasonCode(row.reasonCode) && row.site !== undefined;
      values.push([
        row.siteId,
        row.service,
        row.status,
        row.previous,
        !fact && row.reason !== null ? await sentenceId(row.reason) : null,
        fact ? await factId(row.reasonCode!, row.params ?? [], row.site!) : null,
        row.startedAt,
        row.endedAt,
        row.endedTo,
        row.incidentId,
      ]);
    }
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
    const open = new Map<string, { id: number } | { row: RowToStore }>(stored.map((r) => [pairKey(r.siteId, r.service), { id: r.id }]));
    const closes = new Map<string, { at: number; to: ServiceStatus; ids: number[] }>();
    const inserts: RowToStore[] = [];
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
        const row: RowToStore = {
          ...base,
          status: e.to,
          previous: e.from,
          reason: e.reason ?? null,
          ...(e.reasonCode !== undefined && { reasonCode: e.reasonCode, params: e.params ?? [] }),
          ...(e.siteName !== undefined && { site: e.siteName }),
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
    forIncident: async (incidentId: string): Promise<IntervalRow[]> =>
      (
        await sql.all<StoredRow>(`SELECT ${COLUMNS} FROM ${WITH_FACTS} WHERE incident_id = ? ORDER BY site_id, service, started_at`, [
          incidentId,
        ])
      ).map(readRow),
    /** Every site's `down` intervals still open or ended after `fromMs`, without reasons (the status page's history). */
    downSince: (fromMs: number): Promise<{ siteId: string; service: ServiceKey; startedAt: number; endedAt: number | null }[]> =>
      sql.all(
        `SELECT site_id AS "siteId", service, started_at AS "startedAt", ended_at AS "endedAt" FROM impact_intervals
         WHERE status = 'down' AND ended_at > ?
         UNION ALL SELECT site_id AS "siteId", service, started_at AS "startedAt", ended_at AS "endedAt" FROM impact_intervals
         WHERE status = 'down' AND ended_at IS NULL`,
        [fromMs],
      ),
    /** Intervals overlapping [fromMs, toMs), without their reasons (what availability counts). */
    overlapping: (fromMs: number, toMs: number): Promise<IntervalRow[]> =>
      sql.all(
        `SELECT ${TIME_COLUMNS} FROM impact_intervals WHERE ended_at > ? AND started_at < ?
         UNION ALL SELECT ${TIME_COLUMNS} FROM impact_intervals WHERE ended_at IS NULL AND started_at < ?`,
        [fromMs, toMs, toMs],
      ),
  };
}
