import { createApp, type HqwatchApp } from '../app.ts';
import { loadConfigFile } from '../config/load.ts';
import { watchConfig } from '../config/reload.ts';
import { createLogger, type Logger } from '../logger.ts';
import { openStore, StoreOpenError } from '../store/store.ts';
import { configWarnings, type HqwatchConfig } from '@hqwatch/shared';

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

/** Opens the store and starts the app; exit codes for a refused config (2) or store (its own). */
export async function startMonitor(
  config: HqwatchConfig,
  opts: { port: number; host?: string; dataDir: string; clientDir: string; log: Logger },
): Promise<HqwatchApp | number> {
  const { log } = opts;
  let store;
  try {
    store = openStore({
      dataDir: opts.dataDir,
      retentionDays: config.store.retentionDays,
      checkpointIntervalMs: config.store.checkpointInterval,
      log,
    });
  } catch (err: unknown) {
    if (err instanceof StoreOpenError) {
      process.stderr.write(`hqwatch: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const app = createApp({
    config,
    log,
    store,
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
