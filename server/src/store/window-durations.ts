import type { Database } from 'better-sqlite3';
import { estimateFor, type WindowHistory, type WindowSummary } from '@hqwatch/shared';

/** Past windows per kind the ETA is made from: the most recent ones describe the system as it is now. */
export const WINDOW_HISTORY_LIMIT = 50;

/**
 * Durations of the most recent closed failover and failback windows (recorded kind, decided by how
 * each ended), newest first, for the ETA of an open window. Windows whose kind was recorded under
 * the old rules (migration 3) are left out: a "failover" among them may have been a primary outage.
 * `beforeMs` limits them to windows closed by then, as replay needs.
 */
export function windowDurationsQuery(db: Database) {
  const durations = db
    .prepare(
      `SELECT ended_at - started_at FROM windows
       WHERE kind = :kind AND ended_at IS NOT NULL AND ended_at <= :before AND legacy_kind = 0
       ORDER BY ended_at DESC LIMIT :limit`,
    )
    .pluck();
  return (beforeMs = Number.MAX_SAFE_INTEGER): WindowHistory => {
    const of = (kind: 'failover' | 'failback') => durations.all({ kind, before: beforeMs, limit: WINDOW_HISTORY_LIMIT }) as number[];
    return { failover: of('failover'), failback: of('failback') };
  };
}

/**
 * Open failover and failback windows of a list, each with the ETA the live banner shows for it,
 * from the windows closed before it started (what the live monitor knew when it opened).
 */
export function withEstimates(windows: WindowSummary[], history: (beforeMs: number) => WindowHistory): WindowSummary[] {
  return windows.map((w) => {
    if (w.endedAt !== null) return w;
    const estimate = estimateFor(w.kind, history(Date.parse(w.startedAt)), { minMs: w.expectedMinMs, maxMs: w.expectedMaxMs });
    return estimate ? { ...w, estimate } : w;
  });
}
