import { anyOf } from './sql/dialect.ts';
import type { Sql } from './sql/sql.ts';

/**
 * Failed logins, one row per key per failure: `user:NAME` and `addr:ADDRESS`. Kept in the store so
 * that instances sharing a database count together. Rows older than the window are deleted as new
 * ones come.
 */
export function loginFailuresRepository(sql: Sql) {
  return {
    async record(keys: readonly string[], atMs: number, deleteBefore: number): Promise<void> {
      await sql.run('DELETE FROM login_failures WHERE at < ?', [deleteBefore]);
      for (const key of keys) await sql.run('INSERT INTO login_failures (key, at) VALUES (?, ?)', [key, atMs]);
    },
    /** Times of the failures of each key since `sinceMs`, oldest first. */
    async since(keys: readonly string[], sinceMs: number): Promise<Map<string, number[]>> {
      const among = anyOf(sql, 'key', keys);
      const rows = await sql.all<{ key: string; at: number }>(
        `SELECT key, at FROM login_failures WHERE at >= ? AND ${among.text} ORDER BY at`,
        [sinceMs, ...among.params],
      );
      const times = new Map<string, number[]>(keys.map((k) => [k, []]));
      for (const row of rows) times.get(row.key)?.push(row.at);
      return times;
    },
    async clear(key: string): Promise<void> {
      await sql.run('DELETE FROM login_failures WHERE key = ?', [key]);
    },
  };
}
