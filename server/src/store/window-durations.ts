import { estimateFor, hasExpectedLength, type WindowHistory, type WindowSummary } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';

/** Past windows per kind the ETA is made from: the most recent ones describe the system as it is now. */
export const WINDOW_HISTORY_LIMIT = 50;

/**
 * Durations of the most recent closed failover and failback windows (recorded kind, decided by how
 * each ended), newest first, for the ETA of an open window. Windows whose kind was recorded under
 * the old rules (`legacy_kind`: SQLite step 4, PostgreSQL step 3) are left out: a "failover" among
 * them may have been a primary outage. `beforeMs` limits them to windows closed by then, as replay
 * needs. Both kinds are read together (PostgreSQL on two connections).
 */
export function windowDurationsQuery(sql: Sql) {
  const of = async (kind: 'failover' | 'failback', beforeMs: number): Promise<number[]> => {
    const rows = await sql.all<{ ms: number }>(
      `SELECT ended_at - started_at AS ms FROM windows
       WHERE kind = ? AND ended_at IS NOT NULL AND ended_at <= ? AND legacy_kind = 0
       ORDER BY ended_at DESC LIMIT ?`,
      [kind, beforeMs, WINDOW_HISTORY_LIMIT],
    );
    return rows.map((r) => r.ms);
  };
  return async (beforeMs = Number.MAX_SAFE_INTEGER): Promise<WindowHistory> => {
    const [failover, failback] = await Promise.all([of('failover', beforeMs), of('failback', beforeMs)]);
    return { failover, failback };
  };
}

/**
 * Open failover and failback windows of a list, each with the ETA the live banner shows for it,
 * from the windows closed before it started (what the live monitor knew when it opened). Closed
 * windows and outages (no expected length, no ETA) read nothing.
 */
export function withEstimates(windows: WindowSummary[], history: (beforeMs: number) => Promise<WindowHistory>): Promise<WindowSummary[]> {
  return Promise.all(
    windows.map(async (w) => {
      if (w.endedAt !== null || !hasExpectedLength(w.kind)) return w;
      const estimate = estimateFor(w.kind, await history(Date.parse(w.startedAt)), { minMs: w.expectedMinMs, maxMs: w.expectedMaxMs });
      return estimate ? { ...w, estimate } : w;
    }),
  );
}
