import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';

/**
 * MariaDB for tests (127.0.0.1:3306, root, empty password, as on these machines; override with
 * HQWATCH_TEST_MARIADB=host:port). Unreachable: the tests that need it are skipped with the reason
 * printed, or fail when HQWATCH_REQUIRE_SERVICES=1 (CI). A local equivalent of the shared
 * services helper, with the same behaviour.
 */
const [HOST = '127.0.0.1', PORT = '3306'] = (process.env.HQWATCH_TEST_MARIADB ?? '').split(':').filter(Boolean);
export const MARIADB = { host: HOST, port: Number(PORT), user: 'root', password: '' };

export type Availability = { ok: true } | { ok: false; reason: string };

/** Whether MariaDB answers; throws when it does not and services are required. */
export async function mariadbAvailable(): Promise<Availability> {
  try {
    const conn = await createConnection({ ...MARIADB, connectTimeout: 3_000 });
    await conn.end();
    return { ok: true };
  } catch (err) {
    const reason = `MariaDB is not reachable at ${MARIADB.host}:${MARIADB.port} (${(err as Error).message})`;
    if (process.env.HQWATCH_REQUIRE_SERVICES === '1') throw new Error(`${reason}; HQWATCH_REQUIRE_SERVICES=1 requires it`);
    console.warn(`skipping the tests that need MariaDB: ${reason}`);
    return { ok: false, reason };
  }
}

/** A connection as root, for the test's own setup and its locks. */
export function adminConnection(): Promise<Connection> {
  return createConnection({ ...MARIADB, connectTimeout: 3_000 });
}

/** A pair of databases of one test: `shorewarestatus_<suffix>` and `shoreware_<suffix>`. */
export interface TestDatabases {
  status: string;
  config: string;
  /** `mysql://root@HOST:PORT/<status>`, for `statusDb.url` or `--status-db`. */
  url: string;
  drop(): Promise<void>;
}

/** Names with a random suffix, so parallel runs never share data; `drop` removes both databases. */
export function testDatabases(): TestDatabases {
  const suffix = randomBytes(4).toString('hex');
  const status = `shorewarestatus_${suffix}`;
  const config = `shoreware_${suffix}`;
  return {
    status,
    config,
    url: `mysql://${MARIADB.user}@${MARIADB.host}:${MARIADB.port}/${status}`,
    async drop() {
      const conn = await adminConnection();
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${status}\``);
        await conn.query(`DROP DATABASE IF EXISTS \`${config}\``);
      } finally {
        await conn.end();
      }
    },
  };
}
