/**
 * The store backends the store test suite runs against: SQLite always, PostgreSQL when it answers
 * (each place a schema of its own, dropped afterwards). `describeStores` runs a suite once per
 * backend; a backend whose service is missing is skipped with the reason printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { describe } from 'vitest';
import { openPostgresBackend } from '../../src/store/backend-postgres.ts';
import { sqliteBackend } from '../../src/store/backend-sqlite.ts';
import { openDatabase } from '../../src/store/database.ts';
import { createStore, openStore, type Store, type StoreBackend, type StoreLocation, type StoreOptions } from '../../src/store/store.ts';
import { checkService, postgresSchema, SERVICES } from './services.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export type BackendName = 'sqlite' | 'postgres';

/** A store opened so that the test can take its database away and give it back. */
export interface FaultyStore {
  store: Store;
  /** The database refuses writes from now on (a full disk; PostgreSQL gone). */
  fail(): Promise<void>;
  heal(): Promise<void>;
  /** What the store's error says while failing. */
  failure: RegExp;
  close(): Promise<void>;
}

/** One place a history can live: a SQLite data directory, or a PostgreSQL schema. */
export interface StorePlace {
  backend: BackendName;
  location: StoreLocation;
  /** The `store:` section of a config file that puts `hqwatch serve` here (its data directory is `dataDir`). */
  configStore: Record<string, unknown>;
  /** A data directory (always given to `serve`; SQLite keeps the history in it). */
  dataDir: string;
  open(opts?: Partial<StoreOptions>): Promise<Store>;
  /**
   * Opens a store whose process can "die": `kill` closes its database under it, without
   * writing what waits in memory (the rollups of the current minute, queued writes).
   */
  openKillable(opts?: Partial<StoreOptions>): Promise<{ store: Store; kill(): Promise<void> }>;
  /** Opens a store whose database the test can fail and heal. */
  openFaulty(opts?: Partial<StoreOptions>): Promise<FaultyStore>;
  /** The backend alone (its Sql), for tests below the store. */
  openBackend(): Promise<StoreBackend>;
  cleanup(): Promise<void>;
}

export interface StoreBackendCase {
  name: BackendName;
  skip: boolean;
  place(): Promise<StorePlace>;
}

export const STORE_DEFAULTS: StoreOptions = { retentionDays: 90 };
const CHECKPOINT_MS = 60_000;

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'hqwatch-store-'));
}

function sqlitePlace(): StorePlace {
  const dataDir = tempDir();
  const location: StoreLocation = { kind: 'sqlite', dataDir, checkpointIntervalMs: CHECKPOINT_MS };
  const backendOf = (db: Database): StoreBackend => sqliteBackend(db, { checkpointIntervalMs: CHECKPOINT_MS });
  return {
    backend: 'sqlite',
    location,
    configStore: {},
    dataDir,
    open: (opts) => openStore({ ...STORE_DEFAULTS, ...opts, ...location }),
    async openKillable(opts) {
      const backend = backendOf(openDatabase(dataDir));
      return { store: await createStore(backend, { ...STORE_DEFAULTS, ...opts }), kill: () => backend.close() };
    },
    openBackend: async () => backendOf(openDatabase(dataDir)),
    async openFaulty(opts) {
      const db = openDatabase(dataDir);
      const store = await createStore(backendOf(db), { ...STORE_DEFAULTS, ...opts });
      return {
        store,
        // Every write refused, however small (a full disk refuses only writes that need a new page:
        // store-disk-full.test.ts has that one).
        fail: async () => void db.pragma('query_only = ON'),
        heal: async () => void db.pragma('query_only = OFF'),
        failure: /readonly/i,
        close: () => store.close(),
      };
    },
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function postgresPlace(): StorePlace {
  const dataDir = tempDir();
  const schema = postgresSchema();
  const location: StoreLocation = { kind: 'postgres', url: schema.url() };
  const proxies: TcpProxy[] = [];
  return {
    backend: 'postgres',
    location,
    configStore: { kind: 'postgres', url: schema.url() },
    dataDir,
    open: (opts) => openStore({ ...STORE_DEFAULTS, ...opts, ...location }),
    async openKillable(opts) {
      const backend = await openPostgresBackend({ url: schema.url() });
      return { store: await createStore(backend, { ...STORE_DEFAULTS, ...opts }), kill: () => backend.close() };
    },
    openBackend: () => openPostgresBackend({ url: schema.url() }),
    async openFaulty(opts) {
      const proxy = await startTcpProxy({ host: '127.0.0.1', port: SERVICES.postgres.port });
      proxies.push(proxy);
      // Short timeouts: a cut must show as a failure within a round or two, not after the defaults.
      const backend = await openPostgresBackend({ url: schema.url(proxy.port), connectTimeoutMs: 1_000, queryTimeoutMs: 2_000 });
      const store = await createStore(backend, { ...STORE_DEFAULTS, ...opts });
      return {
        store,
        fail: async () => proxy.refuse(),
        heal: async () => proxy.heal(),
        failure: /terminated|ECONNRESET|connect|timeout|closed/i,
        close: () => store.close(),
      };
    },
    async cleanup() {
      await Promise.all(proxies.map((p) => p.close()));
      await schema.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const postgres = await checkService('postgres');

export const STORE_BACKENDS: StoreBackendCase[] = [
  { name: 'sqlite', skip: false, place: async () => sqlitePlace() },
  { name: 'postgres', skip: !postgres.available, place: async () => postgresPlace() },
];

/** Runs `suite` once per backend, as `title (sqlite)` and `title (postgres)`; a missing service skips its run. */
export function describeStores(title: string, suite: (backend: StoreBackendCase) => void): void {
  describe.each(STORE_BACKENDS)(`${title} ($name)`, (backend) => {
    describe.skipIf(backend.skip)(backend.name, () => suite(backend));
  });
}
