import { statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { openDatabase } from './database.ts';
import { describeError } from './sql/sql.ts';
import { sqliteSql, type SqliteSql } from './sql/sqlite.ts';
import type { StoreBackend } from './store.ts';

export interface SqliteBackendOptions {
  /** How often the WAL is checkpointed into the database file. */
  checkpointIntervalMs: number;
  log?: Logger;
}

const fileSize = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/**
 * The embedded backend: one SQLite file in the data directory, a WAL checkpointed now and then
 * (passively, so the monitor's writes never wait for it) and truncated at close.
 */
export function sqliteBackend(db: Database, opts: SqliteBackendOptions): StoreBackend & { sql: SqliteSql } {
  const sql = sqliteSql(db);
  const checkpoint = (mode: 'PASSIVE' | 'TRUNCATE') =>
    sql
      .exclusive((raw) => raw.pragma(`wal_checkpoint(${mode})`))
      .catch((err: unknown) => {
        opts.log?.warn({ err: describeError(err) }, 'checkpoint failed');
      });
  const timer = setInterval(() => void checkpoint('PASSIVE'), opts.checkpointIntervalMs);
  timer.unref();
  return {
    kind: 'sqlite',
    sql,
    sizeBytes: async () => fileSize(sql.file) + fileSize(`${sql.file}-wal`),
    async close() {
      clearInterval(timer);
      await checkpoint('TRUNCATE');
      await sql.close();
    },
  };
}

/** Opens `hqwatch.db` in `dataDir` as a backend; throws StoreOpenError when it cannot be used. */
export function openSqliteBackend(dataDir: string, opts: SqliteBackendOptions & { busyTimeoutMs?: number }): StoreBackend {
  return sqliteBackend(openDatabase(dataDir, { busyTimeoutMs: opts.busyTimeoutMs }), opts);
}
