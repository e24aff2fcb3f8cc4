import type { MaintenanceWindow } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';
import { toIso } from './time.ts';

interface Row {
  id: string;
  startsAt: number;
  endsAt: number;
  reason: string;
  createdAt: number;
}

const SELECT = 'SELECT id, starts_at AS "startsAt", ends_at AS "endsAt", reason, created_at AS "createdAt" FROM maintenance_windows';

function windowOf(row: Row): MaintenanceWindow {
  return { id: row.id, from: toIso(row.startsAt), to: toIso(row.endsAt), reason: row.reason, createdAt: toIso(row.createdAt) };
}

/** Planned maintenance windows: written by operators, read by the alert model and the history. */
export function maintenanceRepository(sql: Sql) {
  return {
    /** Windows that end after `fromMs` (all when null), by start. */
    async list(fromMs: number | null = null): Promise<MaintenanceWindow[]> {
      const rows =
        fromMs === null
          ? await sql.all<Row>(`${SELECT} ORDER BY starts_at, id`)
          : await sql.all<Row>(`${SELECT} WHERE ends_at > ? ORDER BY starts_at, id`, [fromMs]);
      return rows.map(windowOf);
    },
    async add(window: { id: string; fromMs: number; toMs: number; reason: string; createdAtMs: number }): Promise<MaintenanceWindow> {
      await sql.run('INSERT INTO maintenance_windows (id, starts_at, ends_at, reason, created_at) VALUES (?, ?, ?, ?, ?)', [
        window.id,
        window.fromMs,
        window.toMs,
        window.reason,
        window.createdAtMs,
      ]);
      return windowOf({
        id: window.id,
        startsAt: window.fromMs,
        endsAt: window.toMs,
        reason: window.reason,
        createdAt: window.createdAtMs,
      });
    },
    /**
     * Removes a window that has not started; one that has is ended now instead, so what it marked
     * planned stays planned. Null when there is no such window (or it is over already).
     */
    async remove(id: string, nowMs: number): Promise<{ window: MaintenanceWindow; removed: boolean } | null> {
      return sql.tx(async (tx) => {
        const row = await tx.get<Row>(`${SELECT} WHERE id = ?`, [id]);
        if (!row || row.endsAt <= nowMs) return null;
        if (row.startsAt > nowMs) {
          await tx.run('DELETE FROM maintenance_windows WHERE id = ?', [id]);
          return { window: windowOf(row), removed: true };
        }
        await tx.run('UPDATE maintenance_windows SET ends_at = ? WHERE id = ?', [nowMs, id]);
        return { window: windowOf({ ...row, endsAt: nowMs }), removed: false };
      });
    },
  };
}
