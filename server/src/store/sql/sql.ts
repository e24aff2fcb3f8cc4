/**
 * The portable SQL layer the repositories are written against, once for both backends. Statements
 * use `?` placeholders (rewritten to `$1…` for PostgreSQL); times are integer milliseconds, blobs
 * are Buffers. What differs between the dialects is kept in `dialect.ts` and the per-dialect
 * migrations, nowhere else.
 */

export type Dialect = 'sqlite' | 'postgres';

/** A bound value. Arrays only where `dialect.ts` builds the fragment that takes one. */
export type Param = string | number | null | Buffer | readonly string[] | readonly number[];

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** A connection (or pool) that runs statements; every call may be awaited concurrently. */
export interface Sql {
  readonly dialect: Dialect;
  /** Every row of a query. Column names are as the statement aliases them (quote camelCase aliases). */
  all<T>(text: string, params?: readonly Param[]): Promise<T[]>;
  /** The first row, or undefined. */
  get<T>(text: string, params?: readonly Param[]): Promise<T | undefined>;
  run(text: string, params?: readonly Param[]): Promise<RunResult>;
  /**
   * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it
   * rejects (the rejection is passed on). Nothing else runs on that connection meanwhile. A `tx`
   * inside `fn` joins the outer transaction.
   */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/** An Sql that owns its connections. */
export interface SqlDatabase extends Sql {
  close(): Promise<void>;
}

/**
 * `?` placeholders to PostgreSQL's `$1, $2…`. Quoted strings and identifiers are left alone, so a
 * literal `'?'` stays a question mark; statements here never contain comments.
 */
export function numberedPlaceholders(text: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const c of text) {
    if (quote !== null) {
      if (c === quote) quote = null;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') out += `$${++n}`;
    else out += c;
  }
  return out;
}

export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
