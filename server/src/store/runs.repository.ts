import type { Database } from 'better-sqlite3';

export interface MonitorRun {
  id: number;
  startedAt: number;
  lastSeenAt: number;
}

/**
 * Each run of the monitor, from its first round to its last heartbeat. Time outside every run is
 * time nobody was watching: a gap, never uptime.
 */
export function runsRepository(db: Database) {
  const insert = db.prepare('INSERT INTO monitor_runs (started_at, last_seen_at) VALUES (?, ?)');
  const touch = db.prepare('UPDATE monitor_runs SET last_seen_at = max(last_seen_at, ?) WHERE id = ?');
  const last = db.prepare('SELECT id, started_at AS startedAt, last_seen_at AS lastSeenAt FROM monitor_runs ORDER BY id DESC LIMIT 1');
  const overlapping = db.prepare(
    'SELECT id, started_at AS startedAt, last_seen_at AS lastSeenAt FROM monitor_runs WHERE last_seen_at > ? AND started_at < ? ORDER BY started_at',
  );
  const covering = db.prepare('SELECT 1 FROM monitor_runs WHERE started_at <= ? AND last_seen_at >= ? LIMIT 1').pluck();
  return {
    start(atMs: number): number {
      return Number(insert.run(atMs, atMs).lastInsertRowid);
    },
    touch(id: number, atMs: number): void {
      touch.run(atMs, id);
    },
    last: (): MonitorRun | null => (last.get() as MonitorRun | undefined) ?? null,
    overlapping: (fromMs: number, toMs: number): MonitorRun[] => overlapping.all(fromMs, toMs) as MonitorRun[],
    /** Whether the monitor was running at that moment. */
    covers: (atMs: number): boolean => covering.get(atMs, atMs) !== undefined,
  };
}

export type RunsRepository = ReturnType<typeof runsRepository>;
