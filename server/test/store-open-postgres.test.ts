/**
 * Opening the history on PostgreSQL: its own versioned migrations, refusals with their exit codes
 * (a newer schema, a schema another hqwatch holds, a server that does not answer), each as one
 * clear line from `hqwatch serve`. Every test has a schema of its own.
 *
 * Loopback octet 21 names the config's addresses; `serve` exits before it probes any of them.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresBackend, parsePostgresUrl } from '../src/store/backend-postgres.ts';
import { openDatabase } from '../src/store/database.ts';
import { POSTGRES_SCHEMA_VERSION } from '../src/store/migrations-postgres.ts';
import { openStore, StoreOpenError } from '../src/store/store.ts';
import { checkService, postgresSchema, type PostgresSchema } from './support/services.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';
import { testConfig } from './support/config.ts';

const BIN = fileURLToPath(new URL('../../bin/hqwatch.mjs', import.meta.url));
const OPTS = { retentionDays: 90 };
const postgres = await checkService('postgres');

async function refusal(open: () => Promise<unknown>): Promise<StoreOpenError> {
  try {
    await open();
  } catch (err) {
    if (err instanceof StoreOpenError) return err;
    throw err;
  }
  throw new Error('the store opened');
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('store URLs', () => {
  it('takes the schema from the URL, sends the OS user when none is given and never shows a password', () => {
    const target = parsePostgresUrl('postgres://hq:s3cret@db.example:5433/history?schema=noc_a');
    expect(target.schema).toBe('noc_a');
    expect(target.connectionString).not.toContain('schema=');
    expect(target.display).toBe('postgres://hq@db.example:5433/history (schema noc_a)');
    expect(parsePostgresUrl('postgres://127.0.0.1/test').schema).toBe('public');
    expect(new URL(parsePostgresUrl('postgres://127.0.0.1/test').connectionString).username).not.toBe('');
    expect(parsePostgresUrl('postgres://127.0.0.1/test?schema=a', 'b').schema).toBe('b');
  });

  it('refuses a schema name it would have to quote', () => {
    expect(() => parsePostgresUrl('postgres://127.0.0.1/test?schema=a;drop')).toThrow(/not a schema name/);
    expect(() => parsePostgresUrl('mysql://127.0.0.1/test')).toThrow(/postgres:\/\//);
  });
});

describe.skipIf(!postgres.available)('opening the history on PostgreSQL', () => {
  let schemas: PostgresSchema[] = [];
  let proxies: TcpProxy[] = [];
  const fresh = () => {
    const schema = postgresSchema();
    schemas.push(schema);
    return schema;
  };
  afterEach(async () => {
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(schemas.map((s) => s.drop()));
    schemas = [];
    proxies = [];
  });

  it('creates its schema, records each migration once and keeps the history across opens', async () => {
    const schema = fresh();
    const store = await openStore({ kind: 'postgres', url: schema.url(), ...OPTS });
    await store.heartbeat('2026-03-02T08:00:00.000Z');
    await store.close();
    const again = await openStore({ kind: 'postgres', url: schema.url(), ...OPTS });
    expect(await again.recordStartGap('2026-03-02T08:05:00.000Z')).toMatchObject({ from: '2026-03-02T08:00:00.000Z', durationMs: 300_000 });
    await again.close();

    const backend = await openPostgresBackend({ url: schema.url() });
    const versions = await backend.sql.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, i) => i + 1));
    const tables = await backend.sql.all<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name',
      [schema.schema],
    );
    expect(tables.map((t) => t.name)).toEqual([
      'alert_memory',
      'alert_messages',
      'annotations',
      'auth_state',
      'cluster_leader',
      'cluster_members',
      'core_snapshots',
      'events',
      'impact_intervals',
      'incidents',
      'kiosks',
      'login_failures',
      'maintenance_windows',
      'monitor_runs',
      'outbox',
      'probe_rollups',
      'probes',
      'reason_facts',
      'reasons',
      'schema_migrations',
      'service_changes',
      'sessions',
      'status_db_changes',
      'store_writer',
      'switch_changes',
      'users',
      'windows',
    ]);
    await backend.close();
  });

  it('has the tables, columns and indexes a SQLite file of this build has', async () => {
    const schema = fresh();
    await (await openStore({ kind: 'postgres', url: schema.url(), ...OPTS })).close();
    const backend = await openPostgresBackend({ url: schema.url() });
    const columns = await backend.sql.all<{ t: string; c: string }>(
      `SELECT table_name AS t, column_name AS c FROM information_schema.columns
       WHERE table_schema = ? AND table_name <> 'schema_migrations' ORDER BY t, c`,
      [schema.schema],
    );
    const indexes = await backend.sql.all<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes WHERE schemaname = ? AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key' ORDER BY name`,
      [schema.schema],
    );
    await backend.close();

    const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-schema-'));
    const sqlite = openDatabase(dir);
    try {
      const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
      const sqliteColumns = tables
        .flatMap((t) => (sqlite.pragma(`table_info(${t})`) as { name: string }[]).map((c) => ({ t, c: c.name })))
        // SQLite keeps the column step 2 replaced (impact_intervals.reason, its text moved to reasons).
        .filter((col) => !(col.t === 'impact_intervals' && col.c === 'reason'))
        .sort((a, b) => (a.t === b.t ? (a.c < b.c ? -1 : 1) : a.t < b.t ? -1 : 1));
      expect(columns).toEqual(sqliteColumns);
      const sqliteIndexes = sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
        .pluck()
        .all() as string[];
      expect(indexes.map((i) => i.name)).toEqual(sqliteIndexes);
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a schema written by a newer hqwatch, exit code 78, and leaves it untouched', async () => {
    const schema = fresh();
    const store = await openStore({ kind: 'postgres', url: schema.url(), ...OPTS });
    await store.close();
    const backend = await openPostgresBackend({ url: schema.url() });
    await backend.sql.run('INSERT INTO schema_migrations (version) VALUES (?)', [POSTGRES_SCHEMA_VERSION + 1]);
    await backend.close();
    const err = await refusal(() => openStore({ kind: 'postgres', url: schema.url(), ...OPTS }));
    expect(err.failure).toBe('newer-schema');
    expect(err.exitCode).toBe(78);
    expect(err.message).toMatch(/newer than this hqwatch knows/);
    expect(err.message).toContain(schema.schema);
  });

  it('refuses a schema another hqwatch holds, exit code 75, and leaves the holder working; another schema opens', async () => {
    const schema = fresh();
    const holder = await openStore({ kind: 'postgres', url: schema.url(), ...OPTS });
    const err = await refusal(() => openStore({ kind: 'postgres', url: schema.url(), ...OPTS }));
    expect(err.failure).toBe('locked');
    expect(err.exitCode).toBe(75);
    await holder.heartbeat('2026-03-02T08:00:00.000Z');
    expect((await holder.health()).ok).toBe(true);
    const other = await openStore({ kind: 'postgres', url: fresh().url(), ...OPTS });
    await other.close();
    await holder.close();
    // Once the holder is gone, the schema is free.
    await (await openStore({ kind: 'postgres', url: schema.url(), ...OPTS })).close();
  });

  it('refuses a server that does not answer, exit code 69: refused at once, black-holed after the connect timeout', async () => {
    const port = await closedPort();
    const refused = await refusal(() => openStore({ kind: 'postgres', url: `postgres://hq:pw@127.0.0.1:${port}/test`, ...OPTS }));
    expect(refused.failure).toBe('unreachable');
    expect(refused.exitCode).toBe(69);
    expect(refused.message).toBe(
      `cannot reach the history database postgres://hq@127.0.0.1:${port}/test: connect ECONNREFUSED 127.0.0.1:${port}. Start PostgreSQL, or correct store.url.`,
    );

    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    proxies.push(proxy);
    proxy.blackhole();
    const started = Date.now();
    const cut = await refusal(() => openStore({ kind: 'postgres', url: fresh().url(proxy.port), connectTimeoutMs: 500, ...OPTS }));
    expect(cut.failure).toBe('unreachable');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('hqwatch serve says so in one line and exits 69 when PostgreSQL does not answer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-pg-'));
    try {
      const port = await closedPort();
      const config = path.join(dir, 'hqwatch.yaml');
      const base = testConfig(21) as unknown as Record<string, unknown>;
      writeFileSync(
        config,
        JSON.stringify({
          headquarters: base.headquarters,
          store: { kind: 'postgres', url: `postgres://127.0.0.1:${port}/test` },
        }),
      );
      const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0', '--host', '127.0.0.1', '--data', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += String(c)));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(69);
      expect(stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(`^hqwatch: cannot reach the history database postgres://\\S+@127\\.0\\.0\\.1:${port}/test: connect ECONNREFUSED`),
        ),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
