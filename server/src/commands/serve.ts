import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { createApp, type HqwatchApp } from '../app.ts';
import type { ClusterSetup } from '../cluster/cluster.ts';
import { createLeadership } from '../cluster/leadership.ts';
import { parsePostgresUrl } from '../store/backend-postgres.ts';
import type { ReloadOutcome } from '../auth/admin.routes.ts';
import { loadConfigFile } from '../config/load.ts';
import { watchConfig } from '../config/reload.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { StoredCore } from '../store/snapshots.repository.ts';
import { openStore, StoreOpenError, type Store, type StoreLocation } from '../store/store.ts';
import { configWarnings, type HqwatchConfig, type WindowHistory } from '@hqwatch/shared';

export interface ServeOptions {
  configFile: string;
  port: number;
  /** `--host`; else `http.host` of the config; else 127.0.0.1. */
  host?: string;
  dataDir: string;
  clientDir: string;
  /** `--role web`: serves dashboards and the API from the shared store and Redis; neither probes nor leads. */
  role?: 'web';
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

/** Where the server listens unless `--host` or `http.host` says otherwise: this machine only. */
export const DEFAULT_HOST = '127.0.0.1';

/** Operator tokens shorter than this are refused, from the config and the environment alike. */
const MIN_OPERATOR_TOKEN_LENGTH = 16;

/** The URL of a bound address as it really is: `http://127.0.0.1:8080`, `https://[::1]:8443`. */
export function listeningUrl(address: AddressInfo, tls: boolean): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${tls ? 'https' : 'http'}://${host}:${address.port}`;
}

/** The operator token from the environment, or a refusal when it is too short to resist guessing. */
function envOperatorToken(): { token?: string } | { error: string } {
  const token = process.env.HQWATCH_OPERATOR_TOKEN;
  if (!token) return {};
  if (token.length < MIN_OPERATOR_TOKEN_LENGTH)
    return {
      error: `HQWATCH_OPERATOR_TOKEN must be at least ${MIN_OPERATOR_TOKEN_LENGTH} characters (it has ${token.length}); generate one with: openssl rand -hex 24`,
    };
  return { token };
}

/** The certificate and key of `http.tls`, or why they cannot be read. */
function readTls(config: HqwatchConfig): { tls?: { cert: Buffer; key: Buffer } } | { error: string } {
  if (!config.http.tls) return {};
  const { cert, key } = config.http.tls;
  try {
    return { tls: { cert: readFileSync(cert), key: readFileSync(key) } };
  } catch (err) {
    return { error: `http.tls: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Where `config.store` puts the history: SQLite in the data directory, or PostgreSQL at its url. */
export function storeLocation(store: HqwatchConfig['store'], dataDir: string, shared = false): StoreLocation {
  // Several instances share the schema: leadership, not the writer lock, says who writes.
  if (store.kind === 'postgres') return { kind: 'postgres', url: store.url!, ...(shared ? { writer: false } : {}) };
  return { kind: 'sqlite', dataDir, checkpointIntervalMs: store.checkpointInterval };
}

/** Opens the store and starts the app; exit codes for a refused config or token (2) or store (its own). */
export async function startMonitor(
  config: HqwatchConfig,
  opts: {
    port: number;
    host?: string;
    dataDir: string;
    clientDir: string;
    log: Logger;
    /** Reloads the config (the admin page's button); absent for the demo. */
    reloadConfig?: (app: HqwatchApp) => Promise<ReloadOutcome>;
    role?: 'web';
  },
): Promise<HqwatchApp | number> {
  const { log } = opts;
  const env = envOperatorToken();
  const tls = readTls(config);
  for (const refused of [env, tls]) {
    if ('error' in refused) {
      process.stderr.write(`hqwatch: refusing to start: ${refused.error}\n`);
      return 2;
    }
  }
  const host = opts.host ?? config.http.host ?? DEFAULT_HOST;
  if (opts.role === 'web' && config.store.kind !== 'postgres') {
    process.stderr.write('hqwatch: refusing to start: --role web needs the shared store (store: { kind: postgres, url: … })\n');
    return 2;
  }
  const shared = config.ha !== undefined || opts.role === 'web';
  let cluster: ClusterSetup | undefined;
  let term = 0;
  let store: Store;
  let resume: StoredCore | null;
  let windowHistory: WindowHistory;
  try {
    store = await openStore({
      ...storeLocation(config.store, opts.dataDir, shared),
      retentionDays: config.store.retentionDays,
      log,
      term: () => term,
    });
    [resume, windowHistory] = await Promise.all([store.loadLatestCore(), store.windowDurations()]);
    if (shared) {
      cluster = await clusterSetup(config, { role: opts.role, port: opts.port, log, onTerm: (t) => (term = t) });
      // A pair member resumes when it takes over, from what the store holds then.
      resume = null;
    }
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
    envOperatorToken: 'token' in env ? env.token : undefined,
    statusDbPassword: process.env.HQWATCH_STATUSDB_PASSWORD ?? '',
    reloadConfig: opts.reloadConfig && (() => opts.reloadConfig!(app)),
    tls: 'tls' in tls ? tls.tls : undefined,
    cluster,
  });
  await warnWithoutUsers(app, config, log);
  try {
    const address = await app.listen(opts.port, host);
    log.info(
      { url: listeningUrl(address, 'tls' in tls && tls.tls !== undefined), address: address.address, port: address.port },
      'hqwatch listening',
    );
  } catch (err) {
    process.stderr.write(`hqwatch: cannot listen on ${host} port ${opts.port}: ${err instanceof Error ? err.message : String(err)}\n`);
    await app.close();
    return 1;
  }
  return app;
}

/** How this instance takes part when several share the store: a pair member (`ha`) or a web node. */
async function clusterSetup(
  config: HqwatchConfig,
  opts: { role?: 'web'; port: number; log: Logger; onTerm: (term: number) => void },
): Promise<ClusterSetup> {
  const instance = config.ha?.instance ?? `${hostname()}:${opts.port}`;
  const fanout = config.fanout
    ? await (
        await import('../cluster/fanout-redis.ts')
      ).createRedisFanout({ url: config.fanout.redis, prefix: config.fanout.prefix, log: opts.log })
    : null;
  if (opts.role === 'web' || !config.ha) return { role: 'web', instance, fanout };
  const { heartbeat, lease } = config.ha;
  const target = parsePostgresUrl(config.store.url!);
  const pg = (await import('pg')).default;
  return {
    role: 'pair',
    instance,
    fanout,
    leadership: (hooks) =>
      createLeadership({
        pg,
        connection: { connectionString: target.connectionString, schema: target.schema },
        instance,
        heartbeatMs: heartbeat,
        leaseMs: lease,
        log: opts.log,
        ...hooks,
        onLead: async (term) => {
          opts.onTerm(term);
          await hooks.onLead(term);
        },
      }),
  };
}

/** A server that needs a login and has nobody to log in says how to add the first admin. */
async function warnWithoutUsers(app: HqwatchApp, config: HqwatchConfig, log: Logger): Promise<void> {
  if (config.auth.anonymous || !app.auth.admin) return;
  const users = await app.auth.admin.listUsers().catch(() => null);
  if (users?.length === 0)
    log.warn(
      'no users yet, and the config has no auth.anonymous: nobody can sign in. Stop hqwatch and run `hqwatch user add NAME --role admin --config FILE` (or set auth: { anonymous: viewer } to let anyone read)',
    );
}

/** Reads the config file again and applies it: the admin page's reload button, as SIGHUP does. */
function reloader(file: string, log: Logger) {
  return async (app: HqwatchApp): Promise<ReloadOutcome> => {
    const result = await loadConfigFile(file);
    if (!result.ok) {
      log.error({ file, errors: result.errors.map((e) => `${e.path}: ${e.message}`) }, 'config refused; keeping the running config');
      return { ok: false, errors: result.errors };
    }
    const changed = JSON.stringify(result.config) !== JSON.stringify(app.monitor.config());
    if (changed) {
      log.info({ file, reason: 'admin page' }, 'config reloaded');
      app.setConfig(result.config);
    }
    return { ok: true, changed };
  };
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
  const app = await startMonitor(result.config, { ...opts, log, reloadConfig: reloader(opts.configFile, log) });
  if (typeof app === 'number') return app;
  const unwatch = watchConfig(opts.configFile, result.config, (config) => app.setConfig(config), log);
  stopOnSignals(async () => {
    unwatch();
    await app.close();
  }, log);
  return -1;
}
