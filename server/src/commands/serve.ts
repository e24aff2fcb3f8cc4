import { createApp, type HqwatchApp } from '../app.ts';
import { loadConfigFile } from '../config/load.ts';
import { watchConfig } from '../config/reload.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { StoredCore } from '../store/snapshots.repository.ts';
import { openStore, StoreOpenError, type Store, type StoreLocation } from '../store/store.ts';
import { configWarnings, type HqwatchConfig, type WindowHistory } from '@hqwatch/shared';

export interface ServeOptions {
  configFile: string;
  port: number;
  host?: string;
  dataDir: string;
  clientDir: string;
}

/** Stops the app cleanly on SIGINT/SIGTERM so the store is closed and the WAL checkpointed. */
export function stopOnSignals(stop: () => Promise<void>, log: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    void stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Where `config.store` puts the history: SQLite in the data directory, or PostgreSQL at its url. */
export function storeLocation(store: HqwatchConfig['store'], dataDir: string): StoreLocation {
  if (store.kind === 'postgres') return { kind: 'postgres', url: store.url! };
  return { kind: 'sqlite', dataDir, checkpointIntervalMs: store.checkpointInterval };
}

/** Opens the store and starts the app; exit codes for a refused config (2) or store (its own). */
export async function startMonitor(
  config: HqwatchConfig,
  opts: { port: number; host?: string; dataDir: string; clientDir: string; log: Logger },
): Promise<HqwatchApp | number> {
  const { log } = opts;
  let store: Store;
  let resume: StoredCore | null;
  let windowHistory: WindowHistory;
  try {
    store = await openStore({ ...storeLocation(config.store, opts.dataDir), retentionDays: config.store.retentionDays, log });
    [resume, windowHistory] = await Promise.all([store.loadLatestCore(), store.windowDurations()]);
  } catch (err: unknown) {
    const refusal =
      err instanceof StoreOpenError
        ? err
        : new StoreOpenError('io', `cannot read the history database: ${err instanceof Error ? err.message : String(err)}`);
    process.stderr.write(`hqwatch: ${refusal.message}\n`);
    return refusal.exitCode;
  }
  const app = createApp({
    config,
    log,
    store,
    resume,
    windowHistory,
    clientDir: opts.clientDir,
    envOperatorToken: process.env.HQWATCH_OPERATOR_TOKEN || undefined,
    statusDbPassword: process.env.HQWATCH_STATUSDB_PASSWORD ?? '',
  });
  try {
    const address = await app.listen(opts.port, opts.host);
    log.info({ url: `http://${opts.host ?? 'localhost'}:${address.port}` }, 'hqwatch listening');
  } catch (err) {
    process.stderr.write(`hqwatch: cannot listen on port ${opts.port}: ${err instanceof Error ? err.message : String(err)}\n`);
    await app.close();
    return 1;
  }
  return app;
}

/** `hqwatch serve --config FILE`: monitors a real system until stopped. */
export async function runServe(opts: ServeOptions): Promise<number> {
  const result = await loadConfigFile(opts.configFile);
  if (!result.ok) {
    process.stderr.write(`hqwatch: refusing to start, the config has errors:\n`);
    for (const e of result.errors) process.stderr.write(`${e.path === '(file)' ? '' : `${e.path}: `}${e.message}\n`);
    return 2;
  }
  const log = createLogger();
  for (const w of configWarnings(result.config)) log.warn({ path: w.path }, `config: ${w.path}: ${w.message}`);
  const app = await startMonitor(result.config, { ...opts, log });
  if (typeof app === 'number') return app;
  const unwatch = watchConfig(opts.configFile, result.config, (config) => app.setConfig(config), log);
  stopOnSignals(async () => {
    unwatch();
    await app.close();
  }, log);
  return -1;
}
