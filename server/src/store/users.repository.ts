import type { Role } from '@hqwatch/shared';
import type { Sql } from './sql/sql.ts';

/** A local user as stored: the password only as its scrypt hash (`auth/passwords.ts`). */
export interface UserRow {
  name: string;
  role: Role;
  passwordHash: string;
  createdAt: number;
  updatedAt: number;
}

const COLUMNS = 'name, role, password_hash AS "passwordHash", created_at AS "createdAt", updated_at AS "updatedAt"';

/** Local users. Names are stored lower case; the caller has normalised them. */
export function usersRepository(sql: Sql) {
  return {
    list: (): Promise<UserRow[]> => sql.all<UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY name`),
    get: async (name: string): Promise<UserRow | null> =>
      (await sql.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE name = ?`, [name])) ?? null,
    /** False when a user of that name exists already. */
    async insert(row: UserRow): Promise<boolean> {
      const result = await sql.run(
        'INSERT INTO users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING',
        [row.name, row.role, row.passwordHash, row.createdAt, row.updatedAt],
      );
      return result.changes === 1;
    },
    async update(name: string, change: { role?: Role; passwordHash?: string }, atMs: number): Promise<boolean> {
      const result = await sql.run(
        'UPDATE users SET role = coalesce(?, role), password_hash = coalesce(?, password_hash), updated_at = ? WHERE name = ?',
        [change.role ?? null, change.passwordHash ?? null, atMs, name],
      );
      return result.changes === 1;
    },
    async remove(name: string): Promise<boolean> {
      return (await sql.run('DELETE FROM users WHERE name = ?', [name])).changes === 1;
    },
    async countAdmins(): Promise<number> {
      return (await sql.get<{ n: number }>("SELECT count(*) AS n FROM users WHERE role = 'admin'"))?.n ?? 0;
    },
  };
}
