import type { Sql } from './sql/sql.ts';

/**
 * The one row of auth state every instance on a database shares: the key cookies are signed with
 * (made by the first instance that needs it) and a revision that every revocation bumps, which
 * instances poll to disconnect the sockets of a revoked session within a second.
 */
export function authStateRepository(sql: Sql) {
  return {
    /** The cookie key, stored first as `proposedKey` when there is none yet. */
    async cookieKey(proposedKey: string): Promise<string> {
      await sql.run('INSERT INTO auth_state (id, cookie_key, revision) VALUES (1, ?, 0) ON CONFLICT (id) DO NOTHING', [proposedKey]);
      return (await sql.get<{ key: string }>('SELECT cookie_key AS key FROM auth_state WHERE id = 1'))!.key;
    },
    revision: async (): Promise<number> => (await sql.get<{ r: number }>('SELECT revision AS r FROM auth_state WHERE id = 1'))?.r ?? 0,
    async bump(): Promise<void> {
      await sql.run('UPDATE auth_state SET revision = revision + 1 WHERE id = 1');
    },
  };
}
