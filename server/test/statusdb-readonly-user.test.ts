import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mysql2/promise';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HqwatchConfig, LiveState, SiteView } from '@hqwatch/shared';
import type { HqwatchApp } from '../src/app.ts';
import { startMonitor } from '../src/commands/serve.ts';
import { createLogger } from '../src/logger.ts';
import { eventually } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { checkService, MARIADB, mariadbConnection, mariadbDatabases, type MariadbDatabases } from './support/services.ts';
import { seedStatusDb } from './support/status-db-seed.ts';

// Loopback octet 53 (127.53.x.y) for this file.
const OCTET = 53;
const PRIMARY = `127.${OCTET}.1.10`;
const DVS = `127.${OCTET}.3.10`;
const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');

const maria = await checkService('mariadb');

/**
 * The README's grant statements (its "ShoreWare status database" section), for this test's user,
 * password and databases: the user is granted exactly what operators are told to grant.
 */
function readmeGrants(user: string, host: string, password: string, db: MariadbDatabases): string[] {
  const text = readFileSync(README, 'utf8');
  const section = text.slice(text.indexOf('## ShoreWare status database'));
  const block = /\*\*Grants\.\*\*[\s\S]*?```sql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('the README has no grants block in its "ShoreWare status database" section');
  const statements = block
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trim())
    .filter(Boolean)
    .map((sql) =>
      sql
        .replace(/;$/, '')
        .replaceAll("'hqwatch_ro'@'10.9.0.%'", `'${user}'@'${host}'`)
        .replace("'…'", `'${password}'`)
        .replace(/\bshorewarestatus\./g, `\`${db.status}\`.`)
        .replace(/\bshoreware\./g, `\`${db.config}\`.`),
    );
  expect(statements.map((sql) => sql.split(' ').slice(0, 2).join(' '))).toEqual([
    'CREATE USER',
    'GRANT SELECT',
    'GRANT SELECT',
    'GRANT SELECT',
  ]);
  return statements;
}

describe.skipIf(!maria.available)(
  'a read-only user with the README grants, its password from HQWATCH_STATUSDB_PASSWORD (real MariaDB)',
  () => {
    const user = `hqwatch_ro_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(9).toString('base64url')}`;
    // The tests connect from 127.0.0.1, the monitor's address here.
    const host = MARIADB.host;
    const dataDirs: string[] = [];
    let admin: Connection;
    let db: MariadbDatabases;
    let app: HqwatchApp | null = null;
    const envBefore = process.env.HQWATCH_STATUSDB_PASSWORD;

    beforeAll(async () => {
      admin = await mariadbConnection();
      db = mariadbDatabases();
      await seedStatusDb(admin, db, { primary: PRIMARY, dvs: DVS });
      for (const sql of readmeGrants(user, host, password, db)) await admin.query(sql);
    });
    afterAll(async () => {
      await admin?.query(`DROP USER IF EXISTS '${user}'@'${host}'`);
      await db?.drop();
      await admin?.end();
      for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
      if (envBefore === undefined) delete process.env.HQWATCH_STATUSDB_PASSWORD;
      else process.env.HQWATCH_STATUSDB_PASSWORD = envBefore;
    });
    beforeEach(() => {
      delete process.env.HQWATCH_STATUSDB_PASSWORD;
    });
    afterEach(async () => {
      await app?.close();
      app = null;
      await admin.query('UNLOCK TABLES');
    });

    const config = (): HqwatchConfig =>
      testConfig(OCTET, {
        sites: [
          { id: 'hq', name: 'Headquarters', users: 'hq', voicemail: 'hq', drs: ['hq'], userCount: 400 },
          {
            id: 'boston',
            name: 'Boston',
            users: 'dvs-boston',
            voicemail: 'dvs-boston',
            drs: ['dvs-boston', 'hq'],
            switches: ['sw-bos-1', 'sw-bos-2'],
          },
        ],
        statusDb: {
          url: `mysql://${user}@${MARIADB.host}:${MARIADB.port}/${db.status}`,
          interval: '1s',
          connectTimeout: '500ms',
          queryTimeout: '500ms',
          schema: { configDatabase: db.config },
        },
      });

    /** Starts the monitor as `hqwatch serve` does, which reads the password from the environment. */
    async function serve(envPassword: string): Promise<HqwatchApp> {
      process.env.HQWATCH_STATUSDB_PASSWORD = envPassword;
      const dataDir = mkdtempSync(path.join(tmpdir(), 'hqwatch-statusdb-ro-'));
      dataDirs.push(dataDir);
      const started = await startMonitor(config(), { port: 0, host: '127.0.0.1', dataDir, clientDir: '', log: createLogger('silent') });
      if (typeof started === 'number') throw new Error(`the monitor refused to start (exit ${started})`);
      app = started;
      return started;
    }
    const until = (check: (s: LiveState) => boolean, what: string) =>
      eventually(() => (check(app!.monitor.current()) ? app!.monitor.current() : false), 10_000, what);
    const siteOf = (state: LiveState, id: string): SiteView => state.sites.find((s) => s.id === id)!;

    it('reads with only SELECT, and its read blocked by a lock is still killed (its own connection: no grant)', async () => {
      await serve(password);
      const ok = await until((s) => s.statusDb?.status === 'ok' && siteOf(s, 'hq').switches !== undefined, 'a first read');
      expect(ok.statusDb!.target).toBe(`${user}@${MARIADB.host}:${MARIADB.port}/${db.status}`);
      expect(siteOf(ok, 'hq').switches).toMatchObject({ total: 2, inService: 2, worst: { code: 110 } });
      expect(siteOf(ok, 'boston').switches).toMatchObject({ total: 2, inService: 1, lost: 1, worst: { code: 490 } });
      expect(ok.nodes.find((n) => n.id === 'primary')!.services).toMatchObject([
        { displayName: 'Telephony Management Service', running: true },
        { displayName: 'Voice Mail', running: false },
      ]);

      await admin.query(`LOCK TABLES \`${db.status}\`.heapswitchstatus WRITE`);
      const stale = await until((s) => s.statusDb?.status === 'stale', 'the source shown stale');
      expect(stale.statusDb!.error).toBe('the read did not answer within 500 ms (a table lock or a slow server)');
      expect(siteOf(stale, 'boston').switches).toEqual(siteOf(ok, 'boston').switches);
      // Killed by the read-only user itself: nothing of its own stays queued behind the lock.
      const waiting = async () => {
        const [rows] = await admin.query(
          `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = ? AND INFO LIKE '%heapswitchstatus%'`,
          [user],
        );
        return (rows as { n: number }[])[0]!.n;
      };
      await eventually(async () => (await waiting()) === 0, 10_000, 'the blocked read killed');
      await admin.query('UNLOCK TABLES');
      const back = await until((s) => s.statusDb?.status === 'ok', 'the source back');
      expect(back.statusDb!.error).toBeUndefined();
    });

    it('a wrong password reads as access denied in words, and is never shown', async () => {
      const wrong = `${password}-not`;
      await serve(wrong);
      const denied = await until((s) => s.statusDb?.status === 'unreachable', 'access denied');
      expect(denied.statusDb!.error).toBe(
        `access denied (Access denied for user '${user}'@'${host}' (using password: YES)); check the user, HQWATCH_STATUSDB_PASSWORD and the grants`,
      );
      expect(denied.statusDb!.readAt).toBeNull();
      expect(denied.sites.every((s) => s.switches === undefined)).toBe(true);
      expect(JSON.stringify(denied)).not.toContain(password);
    });
  },
);
