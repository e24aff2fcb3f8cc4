/**
 * The few statement fragments that SQLite and PostgreSQL spell differently. Everything else the
 * repositories say is accepted by both: `?` placeholders (numbered for PostgreSQL by the driver),
 * `ON CONFLICT … DO UPDATE SET x = excluded.x` for upserts, `RETURNING id` for new ids, quoted
 * camelCase aliases. Column types (BLOB/bytea, INTEGER/BIGINT) live in the per-dialect migrations.
 */
import type { Param, Sql } from './sql.ts';

/** `column` is one of `values`: a JSON array expanded by SQLite, an array parameter for PostgreSQL. */
export function anyOf(sql: Sql, column: string, values: readonly string[] | readonly number[]): { text: string; params: Param[] } {
  return sql.dialect === 'postgres'
    ? { text: `${column} = ANY(?)`, params: [values] }
    : { text: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] };
}

/** The larger of two values: SQLite's two-argument `max`, PostgreSQL's `GREATEST`. */
export function greatest(sql: Sql, a: string, b: string): string {
  return sql.dialect === 'postgres' ? `GREATEST(${a}, ${b})` : `max(${a}, ${b})`;
}

/**
 * Locks the rows a SELECT reads until the transaction ends: PostgreSQL's `FOR UPDATE`. A SQLite
 * write transaction (BEGIN IMMEDIATE, on an exclusive connection) already holds the whole file.
 */
export function forUpdate(sql: Sql): string {
  return sql.dialect === 'postgres' ? ' FOR UPDATE' : '';
}
