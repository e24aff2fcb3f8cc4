/**
 * The services some tests need (PostgreSQL, Redis, MariaDB on 127.0.0.1): whether each answers,
 * a fresh PostgreSQL schema per test, and fresh MariaDB databases (a ShoreWare status database
 * pair) per test. A test whose service does not answer is skipped with a printed reason; with
 * HQWATCH_REQUIRE_SERVICES=1 (CI) it fails instead, so CI never passes by skipping.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { createConnection, type Connection } from 'mysql2/promise';
import pg from 'pg';

export type Service = 'postgres' | 'redis' | 'mariadb';

export const SERVICES: Record<Service, { name: string; port: number }> = {
  postgres: { name: 'PostgreSQL', port: 5432 },
  redis: { name: 'Redis', port: 6379 },
  mariadb: { name: 'MariaDB', port: 3306 },
};

const HOST = '127.0.0.1';
const TIMEOUT_MS = 2_000;

/** The same with a user name: node-postgres sends none unless told (libpq would send the OS user's). */
const adminUrl = (): string =>
  `postgres://${encodeURIComponent(process.env.PGUSER || userInfo().username)}@${HOST}:${SERVICES.postgres.port}/test`;

export const servicesRequired = (): boolean => process.env.HQWATCH_REQUIRE_SERVICES === '1';

/** Opens a TCP connection and sends `hello`; resolves with what the server says first (or null). */
function firstWords(port: number, hello: string | null): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    const done = (answer: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), TIMEOUT_MS);
    socket.once('connect', () => {
      if (hello !== null) socket.write(hello);
    });
    socket.once('data', (chunk) => done(chunk.toString('latin1')));
    socket.once('error', () => done(null));
    socket.once('close', () => done(null));
  });
}

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the service answers its own protocol: a TCP port alone is not enough (a forwarder may
 * accept connections for a server that is down).
 */
export async function serviceAnswers(service: Service): Promise<boolean> {
  switch (service) {
    case 'postgres':
      return postgresAnswers();
    case 'redis':
      return (await firstWords(SERVICES.redis.port, 'PING\r\n'))?.startsWith('+PONG') ?? false;
    case 'mariadb':
      // The server speaks first: its handshake packet (protocol version 10).
      return (await firstWords(SERVICES.mariadb.port, null))?.charCodeAt(4) === 10;
  }
}

export interface ServiceCheck {
  available: boolean;
  /** Why tests that need it are skipped; null when available. */
  reason: string | null;
}

/**
 * Checks a service once per test file (top-level await). Unreachable: prints
 * "skipped: PostgreSQL not reachable at 127.0.0.1:5432", or throws when services are required.
 */
export async function checkService(service: Service): Promise<ServiceCheck> {
  if (await serviceAnswers(service)) return { available: true, reason: null };
  const { name, port } = SERVICES[service];
  const reason = `${name} not reachable at ${HOST}:${port}`;
  if (servicesRequired()) throw new Error(`${reason}, and HQWATCH_REQUIRE_SERVICES=1 requires it`);
  console.log(`skipped: ${reason}`);
  return { available: false, reason };
}

/** A schema of its own for one test: the store creates it at open; `drop` removes it with everything in it. */
export interface PostgresSchema {
  schema: string;
  /** The store URL, through `port` (a proxy's) when given. */
  url(port?: number): string;
  drop(): Promise<void>;
}

export function postgresSchema(): PostgresSchema {
  const schema = `hqw_test_${randomBytes(5).toString('hex')}`;
  return {
    schema,
    url: (port = SERVICES.postgres.port) => `postgres://${HOST}:${port}/test?schema=${schema}`,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl() });
      client.on('error', () => undefined);
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** MariaDB as these machines and CI provide it: root with an empty password. */
export const MARIADB = { host: HOST, port: SERVICES.mariadb.port, user: 'root', password: '' };

/** A connection as root, for a test's own setup and its locks. */
export function mariadbConnection(): Promise<Connection> {
  return createConnection({ ...MARIADB, connectTimeout: TIMEOUT_MS });
}

/** The two databases of one test: `shorewarestatus_<suffix>` and `shoreware_<suffix>`. */
export interface MariadbDatabases {
  status: string;
  config: string;
  /** `mysql://root@HOST:PORT/<status>`, for `statusDb.url` or `--status-db`. */
  url: string;
  drop(): Promise<void>;
}

/** Names with a random suffix, so parallel runs never share data; `drop` removes both databases. */
export function mariadbDatabases(): MariadbDatabases {
  const suffix = randomBytes(4).toString('hex');
  const status = `shorewarestatus_${suffix}`;
  const config = `shoreware_${suffix}`;
  return {
    status,
    config,
    url: `mysql://${MARIADB.user}@${MARIADB.host}:${MARIADB.port}/${status}`,
    async drop() {
      const conn = await mariadbConnection();
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${status}\``);
        await conn.query(`DROP DATABASE IF EXISTS \`${config}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
