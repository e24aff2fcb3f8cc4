import type { Sql } from './sql/sql.ts';

/** A kiosk display: a named, read-only token for a wall; only the token's hash is stored. */
export interface KioskRow {
  name: string;
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number | null;
}

const COLUMNS = 'name, token_hash AS "tokenHash", created_at AS "createdAt", last_seen_at AS "lastSeenAt"';

export function kiosksRepository(sql: Sql) {
  return {
    list: (): Promise<KioskRow[]> => sql.all<KioskRow>(`SELECT ${COLUMNS} FROM kiosks ORDER BY name`),
    byTokenHash: async (tokenHash: string): Promise<KioskRow | null> =>
      (await sql.get<KioskRow>(`SELECT ${COLUMNS} FROM kiosks WHERE token_hash = ?`, [tokenHash])) ?? null,
    /** False when a display of that name exists already. */
    async insert(row: KioskRow): Promise<boolean> {
      const result = await sql.run(
        'INSERT INTO kiosks (name, token_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
        [row.name, row.tokenHash, row.createdAt, row.lastSeenAt],
      );
      return result.changes === 1;
    },
    /** Marks displays seen at `atMs` (never moving a later mark back). */
    async touch(names: readonly string[], atMs: number): Promise<void> {
      for (const name of names)
        await sql.run('UPDATE kiosks SET last_seen_at = ? WHERE name = ? AND (last_seen_at IS NULL OR last_seen_at < ?)', [
          atMs,
          name,
          atMs,
        ]);
    },
    async remove(name: string): Promise<boolean> {
      return (await sql.run('DELETE FROM kiosks WHERE name = ?', [name])).changes === 1;
    },
  };
}
