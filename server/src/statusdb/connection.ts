import type { Connection, RowDataPacket } from 'mysql2/promise';

/** mysql2 costs ~17 MB of memory once loaded: only a configured status database loads it. */
const mysql = () => import('mysql2/promise');

/** Where and as whom to connect; the password never leaves this object. */
export interface ConnectTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** A failure of the status database, classified: no connection, or a read that failed or hung. */
export class StatusDbError extends Error {
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'stale',
    readonly timedOut = false,
  ) {
    super(message);
    this.name = 'StatusDbError';
  }
}

const seconds = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`);

/** Codes of a connection that is gone or never came: the database is unreachable, not merely slow. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_HOST_NOT_PRIVILEGED',
  'ER_CON_COUNT_ERROR',
]);

/**
 * A driver or server error in words an operator can act on. Server messages name tables,
 * columns and the user, never the password.
 */
export function describeError(err: unknown, where: string): StatusDbError {
  if (err instanceof StatusDbError) return err;
  const e = err as { code?: string; sqlMessage?: string; message?: string };
  const code = e.code ?? '';
  const server = e.sqlMessage ?? e.message ?? String(err);
  const kind = CONNECTION_CODES.has(code) ? 'unreachable' : 'stale';
  switch (code) {
    case 'ECONNREFUSED':
      return new StatusDbError(`connection refused by ${where}: nothing listens there`, kind);
    case 'ETIMEDOUT':
      return new StatusDbError(`${where} did not answer the connection`, kind);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new StatusDbError(`the host of ${where} cannot be resolved`, kind);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new StatusDbError(`no route to ${where}`, kind);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'PROTOCOL_CONNECTION_LOST':
      return new StatusDbError(`${where} closed the connection`, kind);
    case 'ER_ACCESS_DENIED_ERROR':
      return new StatusDbError(`access denied (${server}); check the user, HQWATCH_STATUSDB_PASSWORD and the grants`, kind);
    case 'ER_NO_SUCH_TABLE':
    case 'ER_BAD_FIELD_ERROR':
      return new StatusDbError(`${server}; set the names this version uses under statusDb.schema`, kind);
    case 'ER_TABLEACCESS_DENIED_ERROR':
    case 'ER_COLUMNACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return new StatusDbError(`${server}; the read-only user needs SELECT on the tables read (see the README)`, kind);
    default:
      return new StatusDbError(code ? `${server} (${code})` : server, kind);
  }
}

/** Settles with `work`, or rejects after `ms` having called `onTimeout` (which must end the work). */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => StatusDbError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Opens a connection within `timeoutMs`; a connection that comes too late is closed, never used.
 * `where` names the database in errors (never with a password).
 */
export async function connect(target: ConnectTarget, timeoutMs: number, where = `${target.host}:${target.port}`): Promise<Connection> {
  let late = false;
  const { createConnection } = await mysql();
  const opening = createConnection({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectTimeout: timeoutMs,
    supportBigNumbers: true,
    dateStrings: true,
  });
  opening.then((conn) => late && conn.destroy()).catch(() => undefined);
  try {
    const conn = await withDeadline(opening, timeoutMs, () => {
      late = true;
      return new StatusDbError(`${where} did not answer within ${seconds(timeoutMs)}`, 'unreachable', true);
    });
    // A connection dropped between reads must not take the process down with an unhandled error.
    conn.on('error', () => undefined);
    return conn;
  } catch (err) {
    if ((err as { code?: string }).code === 'ETIMEDOUT')
      throw new StatusDbError(`${where} did not answer within ${seconds(timeoutMs)}`, 'unreachable', true);
    throw describeError(err, where);
  }
}

/** Runs `sql` and returns its rows, or rejects with the driver's error. */
export async function selectRows(conn: Connection, sql: string): Promise<RowDataPacket[]> {
  const [rows] = await conn.query<RowDataPacket[]>(sql);
  return rows;
}

/**
 * Ends a query that outlived its deadline on the server too: a connection closed by the client
 * can leave its statement waiting on the server's lock for as long as the lock is held. A user
 * may always kill its own threads, so the read-only user can do this.
 */
export async function killThread(target: ConnectTarget, threadId: number, timeoutMs: number): Promise<void> {
  const conn = await connect(target, timeoutMs);
  try {
    await withDeadline(conn.query(`KILL ${Number(threadId)}`), timeoutMs, () => new StatusDbError('kill timed out', 'stale', true));
  } finally {
    conn.destroy();
  }
}

export { seconds as formatSeconds };
