import type { ClientConfig, Pool, PoolClient, QueryResultRow } from 'pg';
import { numberedPlaceholders, type Param, type RunResult, type Sql, type SqlDatabase } from './sql.ts';

/** node-postgres, loaded only when a PostgreSQL store is opened: the embedded default never pays for it. */
export type PgModule = typeof import('pg').default;

const INT8_OID = 20;

/**
 * Type parsers for this store's connections only (node-postgres' are global by default): BIGINT
 * columns hold millisecond times and ids, well within a double's 2^53, so they come back as numbers.
 * bytea comes back as a Buffer already.
 */
function typesOf(pg: PgModule): ClientConfig['types'] {
  const parse = pg.types.getTypeParser;
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID ? (value: string) => Number(value) : parse(oid, format)) as typeof parse,
  };
}

export interface PostgresSql extends SqlDatabase {
  readonly dialect: 'postgres';
  readonly pool: Pool;
}

export interface PostgresPoolOptions {
  connectionString: string;
  /** Sets `search_path` for every connection of the pool. */
  schema: string;
  /** Connections at most; writes use one at a time, reads the rest. */
  max?: number;
  /** Giving up on a connection attempt (an unreachable or black-holed server). */
  connectTimeoutMs?: number;
  /** Giving up on a statement, client side: a hung connection must not hold a write forever. */
  queryTimeoutMs?: number;
}

/** A double-quoted identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Settings shared by the pool and the writer lock's own connection. */
export function clientConfig(pg: PgModule, opts: PostgresPoolOptions): ClientConfig {
  return {
    connectionString: opts.connectionString,
    options: `-c search_path=${quoteIdent(opts.schema)}`,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 5_000,
    query_timeout: opts.queryTimeoutMs ?? 15_000,
    keepAlive: true,
    types: typesOf(pg),
  };
}

/** Statement text → PostgreSQL's numbered placeholders, converted once. */
const converted = new Map<string, string>();
function pgText(text: string): string {
  let out = converted.get(text);
  if (out === undefined) {
    out = numberedPlaceholders(text);
    converted.set(text, out);
  }
  return out;
}

type Queryable = Pick<Pool, 'query'> | PoolClient;

const CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

/**
 * Whether an error says the connection was bad rather than the statement: after a network cut or
 * a server restart the pool may still hold connections that died meanwhile.
 */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  return (
    err instanceof Error &&
    /Connection terminated|not queryable|connection error|timeout exceeded when trying to connect/i.test(err.message)
  );
}

/** Tries a statement that changes nothing once more on another connection when its own was dead. */
async function againOnDeadConnection<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    return attempt();
  }
}

function runner(target: Queryable, retryReads: boolean) {
  const query = <T extends QueryResultRow>(text: string, params: readonly Param[] = []) =>
    target.query<T>(pgText(text), params as unknown[]);
  const read = <T extends QueryResultRow>(text: string, params?: readonly Param[]) =>
    retryReads ? againOnDeadConnection(() => query<T>(text, params)) : query<T>(text, params);
  return {
    all: async <T>(text: string, params?: readonly Param[]): Promise<T[]> => (await read(text, params)).rows as T[],
    get: async <T>(text: string, params?: readonly Param[]): Promise<T | undefined> => (await read(text, params)).rows[0] as T | undefined,
    // A write is never retried here: whether a failed one took effect is the caller's to know.
    run: async (text: string, params?: readonly Param[]): Promise<RunResult> => ({ changes: (await query(text, params)).rowCount ?? 0 }),
  };
}

/**
 * The Sql layer over a node-postgres Pool. Plain calls take any pooled connection (reads run in
 * parallel, and are tried once more when the connection they got had died); a transaction holds one
 * connection from BEGIN to COMMIT, and starts on another when BEGIN finds its connection dead. A
 * connection that failed is destroyed rather than returned to the pool.
 */
export function postgresSql(pg: PgModule, opts: PostgresPoolOptions, onIdleError: (err: Error) => void): PostgresSql {
  const pool = new pg.Pool({ ...clientConfig(pg, opts), max: opts.max ?? 4 });
  // A pooled idle connection that dies (server restart, network cut) must not crash the process.
  pool.on('error', onIdleError);

  const onClient = (client: PoolClient): Sql => {
    const self: Sql = { dialect: 'postgres', ...runner(client, false), tx: (fn) => fn(self) };
    return self;
  };

  /** A connection with BEGIN done; a dead one is dropped and another taken, a few times at most. */
  async function begin(): Promise<{ client: PoolClient; done: (err?: Error) => void }> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      let failure: Error | undefined;
      // A checked-out connection has no listener of the pool's: its death must not crash the process.
      const onError = (err: Error) => (failure = err);
      client.on('error', onError);
      const done = (err?: Error) => {
        client.off('error', onError);
        client.release(err ?? failure);
      };
      try {
        await client.query('BEGIN');
        return { client, done };
      } catch (err) {
        done(err instanceof Error ? err : new Error(String(err)));
        if (attempt >= 3 || !isConnectionError(err)) throw err;
      }
    }
  }

  return {
    dialect: 'postgres',
    pool,
    ...runner(pool, true),
    async tx(fn) {
      const { client, done } = await begin();
      let broken: Error | undefined;
      try {
        const result = await fn(onClient(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollback) {
          broken = rollback instanceof Error ? rollback : new Error(String(rollback));
        }
        throw err;
      } finally {
        done(broken);
      }
    },
    close: () => pool.end(),
  };
}
