import type { Param, Sql } from './sql.ts';

/**
 * Sizes to split `n` rows into for multi-row statements: powers of two up to `max`, so the SQLite
 * statement cache sees a handful of shapes whatever the row counts.
 */
function chunkSizes(n: number, max = 128): number[] {
  const sizes: number[] = [];
  let left = n;
  for (let size = max; size >= 1; size >>= 1) {
    while (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

/**
 * Inserts `rows` (each the values of `columns`, in order) in a few multi-row INSERTs, in order: one
 * round trip per chunk rather than per row, which counts on PostgreSQL.
 */
export async function insertRows(sql: Sql, table: string, columns: readonly string[], rows: readonly (readonly Param[])[]): Promise<void> {
  const row = `(${columns.map(() => '?').join(', ')})`;
  let at = 0;
  for (const size of chunkSizes(rows.length)) {
    await sql.run(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(size).fill(row).join(', ')}`,
      rows.slice(at, at + size).flat(),
    );
    at += size;
  }
}
