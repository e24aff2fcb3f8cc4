import type { Database, Statement } from 'better-sqlite3';
import { createLock } from './lock.ts';
import type { Param, RunResult, Sql, SqlDatabase } from './sql.ts';

export interface SqliteSql extends SqlDatabase {
  readonly dialect: 'sqlite';
  /** Runs `fn` on the raw connection with the lock held (pragmas, checkpoints, size figures). */
  exclusive<T>(fn: (db: Database) => T): Promise<T>;
  /** The file, for size figures. */
  readonly file: string;
}

/**
 * The Sql layer over one better-sqlite3 connection. Statements are prepared once and cached by
 * text. Every call and every transaction takes the lock, so an async transaction is never
 * interleaved with other statements on the connection; inside a transaction, statements run
 * without it (the transaction holds it).
 */
export function sqliteSql(db: Database): SqliteSql {
  const lock = createLock();
  const statements = new Map<string, Statement>();
  const prepared = (text: string): Statement => {
    let stmt = statements.get(text);
    if (!stmt) {
      stmt = db.prepare(text);
      statements.set(text, stmt);
    }
    return stmt;
  };
  const bind = (params: readonly Param[]): unknown[] => params as unknown[];

  // Direct access: used inside a transaction, and under the lock outside one.
  const direct = {
    all: <T>(text: string, params: readonly Param[] = []): T[] => prepared(text).all(...bind(params)) as T[],
    get: <T>(text: string, params: readonly Param[] = []): T | undefined => prepared(text).get(...bind(params)) as T | undefined,
    run: (text: string, params: readonly Param[] = []): RunResult => {
      const stmt = prepared(text);
      // A statement with RETURNING is a reader: run it through `all` so its rows are consumed.
      if (stmt.reader) return { changes: stmt.all(...bind(params)).length };
      return { changes: stmt.run(...bind(params)).changes };
    },
  };

  const inTx: Sql = {
    dialect: 'sqlite',
    all: async (text, params) => direct.all(text, params),
    get: async (text, params) => direct.get(text, params),
    run: async (text, params) => direct.run(text, params),
    tx: (fn) => fn(inTx),
  };

  return {
    dialect: 'sqlite',
    file: db.name,
    all: (text, params) => lock.run(() => direct.all(text, params)),
    get: (text, params) => lock.run(() => direct.get(text, params)),
    run: (text, params) => lock.run(() => direct.run(text, params)),
    tx: (fn) =>
      lock.run(async () => {
        prepared('BEGIN IMMEDIATE').run();
        try {
          const result = await fn(inTx);
          prepared('COMMIT').run();
          return result;
        } catch (err) {
          // Some errors (SQLITE_FULL among them) may already have rolled the transaction back.
          if (db.inTransaction) prepared('ROLLBACK').run();
          throw err;
        }
      }),
    exclusive: (fn) => lock.run(() => fn(db)),
    close: () =>
      lock.run(() => {
        statements.clear();
        db.close();
      }),
  };
}
