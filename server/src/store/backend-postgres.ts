import { userInfo } from 'node:os';
import type { Client } from 'pg';
import type { Logger } from '../logger.ts';
import { LOCK_CLASS, migratePostgres, POSTGRES_SCHEMA_VERSION, postgresSchemaVersion } from './migrations-postgres.ts';
import { StoreOpenError } from './open-error.ts';
import { clientConfig, postgresSql, quoteIdent, type PgModule, type PostgresPoolOptions, type PostgresSql } from './sql/postgres.ts';
import type { StoreBackend } from './store.ts';

export interface PostgresLocation {
  /** `postgres://[user[:password]@]host[:port]/database[?schema=NAME]`. */
  url: string;
  /** The schema (search_path) the history lives in; overrides the URL's `schema` parameter. `public` by default. */
  schema?: string;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** Pooled connections at most. */
  poolSize?: number;
  /**
   * Whether to take the writer lock (the default). A process that only manages accounts (the
   * `user` and `kiosk` commands) opens without it, beside a running hqwatch.
   */
  writer?: boolean;
}

export interface PostgresTarget {
  connectionString: string;
  schema: string;
  /** The URL without its password, for messages. */
  display: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Reads a store URL. The user defaults to PGUSER or the operating system's user, as libpq's does
 * (node-postgres would otherwise send none); `schema` is hqwatch's own parameter, not the driver's.
 */
export function parsePostgresUrl(url: string, schemaOverride?: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreOpenError('io', `store.url is not a URL: ${url}`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StoreOpenError('io', `store.url must start with postgres:// (got ${parsed.protocol}//)`);
  }
  const schema = schemaOverride ?? parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) throw new StoreOpenError('io', `"${schema}" is not a schema name hqwatch accepts (letters, digits, _)`);
  parsed.searchParams.delete('schema');
  if (!parsed.username) parsed.username = process.env.PGUSER || userInfo().username;
  const shown = new URL(parsed.href);
  shown.password = '';
  shown.search = '';
  const display = `${shown.href}${schema === 'public' ? '' : ` (schema ${schema})`}`;
  return { connectionString: parsed.href, schema, display };
}

/** An error's own words; connection errors of several addresses come as an AggregateError with no message. */
function detailOf(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map((e: unknown) => detailOf(e)).join('; ');
  return err instanceof Error ? err.message : String(err);
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', '57P03']);

function codeOf(err: unknown): string | undefined {
  if (err instanceof AggregateError) return codeOf(err.errors[0]);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function classify(err: unknown, display: string): StoreOpenError {
  if (err instanceof StoreOpenError) return err;
  const detail = detailOf(err).replace(/\s+/g, ' ').trim();
  const code = codeOf(err);
  if ((code !== undefined && UNREACHABLE.has(code)) || /timeout|terminated|timed out/i.test(detail)) {
    return new StoreOpenError(
      'unreachable',
      `cannot reach the history database ${display}: ${detail}. Start PostgreSQL, or correct store.url.`,
    );
  }
  return new StoreOpenError('io', `cannot use the history database ${display}: ${detail}`);
}

/**
 * The writer lock: a session advisory lock held on a connection of its own for as long as the store
 * is open, so a second hqwatch on the same schema is refused like a second one on the same SQLite
 * file. If the connection is lost (a network cut) the lock goes with it; it is taken again in the
 * background, and meanwhile the store reports the problem. Leadership will take this connection's
 * place with its own lock and term.
 */
function writerLock(pg: PgModule, opts: PostgresPoolOptions, target: PostgresTarget, log?: Logger) {
  let client: Client | null = null;
  let problem: string | null = null;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function take(): Promise<boolean> {
    const next = new pg.Client(clientConfig(pg, opts));
    next.on('error', (err) => lost(next, err));
    try {
      await next.connect();
      const row = await next.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [
        LOCK_CLASS.writer,
        target.schema,
      ]);
      if (!row.rows[0]?.ok) {
        await next.end();
        return false;
      }
    } catch (err) {
      void next.end().catch(() => undefined);
      throw err;
    }
    client = next;
    return true;
  }

  function lost(which: Client, err: Error): void {
    if (which !== client || closed) return;
    client = null;
    problem = `lost the connection holding the writer lock (${detailOf(err)}); reconnecting`;
    log?.warn({ err: detailOf(err) }, 'history database connection lost');
    void which.end().catch(() => undefined);
    retry();
  }

  function retry(): void {
    timer = setTimeout(async () => {
      if (closed) return;
      try {
        if (await take()) {
          problem = null;
          log?.info('history database writer lock taken again');
          return;
        }
        problem = `another hqwatch holds the history database ${target.display}`;
      } catch (err) {
        problem = `cannot reach the history database to take the writer lock again (${detailOf(err)})`;
      }
      retry();
    }, 1_000);
    timer.unref();
  }

  return {
    take,
    problem: () => problem,
    async release(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}

/**
 * Connects to PostgreSQL, takes the writer lock, creates the schema if needed and brings it up to
 * date. Refuses (StoreOpenError) an unreachable server, a schema another hqwatch holds, and a schema
 * from a newer hqwatch.
 */
export async function openPostgresBackend(location: PostgresLocation, log?: Logger): Promise<StoreBackend & { sql: PostgresSql }> {
  const target = parsePostgresUrl(location.url, location.schema);
  const opts: PostgresPoolOptions = {
    connectionString: target.connectionString,
    schema: target.schema,
    max: location.poolSize,
    connectTimeoutMs: location.connectTimeoutMs,
    queryTimeoutMs: location.queryTimeoutMs,
  };
  const pg = (await import('pg')).default;
  const lock = writerLock(pg, opts, target, log);
  let sql: PostgresSql | null = null;
  try {
    // One connection first, to say clearly whether the server answers at all.
    const probe = new pg.Client(clientConfig(pg, opts));
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      const exists = await probe.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [target.schema]);
      if (exists.rowCount === 0) await probe.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.schema)}`);
    } finally {
      await probe.end().catch(() => undefined);
    }
    if (location.writer !== false && !(await lock.take())) {
      throw new StoreOpenError(
        'locked',
        `the history database ${target.display} is in use by another hqwatch. Stop it, or give this one another schema.`,
      );
    }
    sql = postgresSql(pg, opts, (err) => log?.warn({ err: detailOf(err) }, 'idle history database connection lost'));
    const version = await postgresSchemaVersion(sql);
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new StoreOpenError(
        'newer-schema',
        `the history database ${target.display} has schema version ${version}, newer than this hqwatch knows (${POSTGRES_SCHEMA_VERSION}). Upgrade hqwatch, or give it another schema.`,
      );
    }
    await migratePostgres(sql);
  } catch (err) {
    await lock.release();
    await sql?.close().catch(() => undefined);
    throw classify(err, target.display);
  }
  const pool = sql;

  let size = { bytes: 0, at: 0 };
  let sizing: Promise<void> | null = null;
  const measure = async (): Promise<void> => {
    const row = await pool.get<{ bytes: number }>(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    size = { bytes: row?.bytes ?? 0, at: Date.now() };
  };
  await measure().catch(() => undefined);

  return {
    kind: 'postgres',
    sql: pool,
    /** The schema's tables with their indexes and TOAST; measured at most every 30 s, never waited for. */
    async sizeBytes() {
      if (Date.now() - size.at > 30_000)
        sizing ??= measure()
          .catch(() => undefined)
          .finally(() => (sizing = null));
      return size.bytes;
    },
    problem: lock.problem,
    async close() {
      await pool.close();
      await lock.release();
    },
  };
}
