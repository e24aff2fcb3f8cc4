import { greatest } from './sql/dialect.ts';
import type { Sql } from './sql/sql.ts';

export interface MonitorRun {
  id: number;
  startedAt: number;
  lastSeenAt: number;
}

const COLUMNS = 'id, started_at AS "startedAt", last_seen_at AS "lastSeenAt"';

/**
 * Each run of the monitor, from its first round to its last heartbeat. Time outside every run is
 * time nobody was watching: a gap, never uptime.
 */
export function runsRepository(sql: Sql) {
  const touch = `UPDATE monitor_runs SET last_seen_at = ${greatest(sql, 'last_seen_at', '?')} WHERE id = ?`;
  return {
    async start(atMs: number): Promise<number> {
      const row = await sql.get<{ id: number }>('INSERT INTO monitor_runs (started_at, last_seen_at) VALUES (?, ?) RETURNING id', [
        atMs,
        atMs,
      ]);
      return row!.id;
    },
    async touch(id: number, atMs: number): Promise<void> {
      await sql.run(touch, [atMs, id]);
    },
    last: async (): Promise<MonitorRun | null> =>
      (await sql.get<MonitorRun>(`SELECT ${COLUMNS} FROM monitor_runs ORDER BY id DESC LIMIT 1`)) ?? null,
    overlapping: (fromMs: number, toMs: number): Promise<MonitorRun[]> =>
      sql.all<MonitorRun>(`SELECT ${COLUMNS} FROM monitor_runs WHERE last_seen_at > ? AND started_at < ? ORDER BY started_at`, [
        fromMs,
        toMs,
      ]),
    /** Whether the monitor was running at that moment. */
    covers: async (atMs: number): Promise<boolean> =>
      (await sql.get('SELECT 1 AS hit FROM monitor_runs WHERE started_at <= ? AND last_seen_at >= ? LIMIT 1', [atMs, atMs])) !== undefined,
  };
}
