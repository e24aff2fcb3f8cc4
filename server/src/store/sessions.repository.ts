import type { Role } from '@hqwatch/shared';
import { anyOf } from './sql/dialect.ts';
import type { Sql } from './sql/sql.ts';

export type SessionKind = 'user' | 'kiosk';

/**
 * A session as stored: `id` is the SHA-256 of the secret in the cookie, never the secret itself, so
 * a copy of the database opens no session. `subject` is the user's or the kiosk display's name.
 */
export interface SessionRow {
  id: string;
  kind: SessionKind;
  subject: string;
  role: Role;
  createdAt: number;
  lastSeenAt: number;
}

const COLUMNS = 'id, kind, subject, role, created_at AS "createdAt", last_seen_at AS "lastSeenAt"';

export function sessionsRepository(sql: Sql) {
  return {
    async insert(row: SessionRow): Promise<void> {
      await sql.run('INSERT INTO sessions (id, kind, subject, role, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)', [
        row.id,
        row.kind,
        row.subject,
        row.role,
        row.createdAt,
        row.lastSeenAt,
      ]);
    },
    get: async (id: string): Promise<SessionRow | null> =>
      (await sql.get<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`, [id])) ?? null,
    /** The sessions among `ids` that still exist. */
    async some(ids: readonly string[]): Promise<SessionRow[]> {
      if (ids.length === 0) return [];
      const among = anyOf(sql, 'id', ids);
      return sql.all<SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE ${among.text}`, among.params);
    },
    /** Marks sessions used at `atMs` (never moving a later mark back). */
    async touch(ids: readonly string[], atMs: number): Promise<void> {
      if (ids.length === 0) return;
      const among = anyOf(sql, 'id', ids);
      await sql.run(`UPDATE sessions SET last_seen_at = ? WHERE last_seen_at < ? AND ${among.text}`, [atMs, atMs, ...among.params]);
    },
    async remove(id: string): Promise<number> {
      return (await sql.run('DELETE FROM sessions WHERE id = ?', [id])).changes;
    },
    async removeFor(kind: SessionKind, subject: string): Promise<number> {
      return (await sql.run('DELETE FROM sessions WHERE kind = ? AND subject = ?', [kind, subject])).changes;
    },
    /** Deletes user sessions created before `createdBefore` or unused since `seenBefore`. */
    async removeExpired(createdBefore: number, seenBefore: number): Promise<number> {
      return (
        await sql.run("DELETE FROM sessions WHERE kind = 'user' AND (created_at < ? OR last_seen_at < ?)", [createdBefore, seenBefore])
      ).changes;
    },
  };
}
