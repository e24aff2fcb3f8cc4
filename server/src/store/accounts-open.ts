import type { Logger } from '../logger.ts';
import { accountStore, type AccountStore } from './accounts.ts';
import { openSqliteBackend } from './backend-sqlite.ts';
import { guardedAccounts, type StoreBackend, type StoreLocation } from './store.ts';

export interface OpenAccounts {
  accounts: AccountStore;
  close(): Promise<void>;
}

/**
 * Opens only the accounts of a history database: for the `user` and `kiosk` commands. The schema is
 * brought up to date as `serve` would. PostgreSQL is opened without the writer lock, so this works
 * beside a running hqwatch; a SQLite file is held by the hqwatch that has it open, and is refused
 * (StoreOpenError `locked`) while it runs.
 */
export async function openAccountStore(location: StoreLocation, log?: Logger): Promise<OpenAccounts> {
  let backend: StoreBackend;
  if (location.kind === 'postgres') {
    const { openPostgresBackend } = await import('./backend-postgres.ts');
    backend = await openPostgresBackend({ ...location, writer: false, poolSize: location.poolSize ?? 2 }, log);
  } else
    backend = openSqliteBackend(location.dataDir, {
      checkpointIntervalMs: location.checkpointIntervalMs,
      log,
      busyTimeoutMs: location.busyTimeoutMs,
    });
  return { accounts: guardedAccounts(accountStore(backend.sql)), close: () => backend.close() };
}
