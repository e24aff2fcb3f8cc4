import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runLabCommand } from '../src/lab/lab-command.ts';
import { mariadbConnection, checkService, mariadbDatabases } from './support/services.ts';

// Loopback octet 52 (127.52.x.y) for this file.
const OCTET = 52;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-statusdb-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const maria = await checkService('mariadb');

function checkConfig(yaml: string) {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  const res = spawnSync(process.execPath, [path.join(ROOT, 'bin/hqwatch.mjs'), 'check-config', file], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

const BASE = `
headquarters:
  primary: { name: HQ primary, address: 127.0.1.10, probes: [ { kind: tcp, port: 4308 } ] }
  secondary: { name: HQ secondary, address: 127.0.2.10, probes: [ { kind: tcp, port: 4308 } ] }
sites:
  - { id: hq, name: Headquarters, users: hq, voicemail: hq }
  - { id: austin, name: Austin, users: hq, voicemail: hq, switches: [sw-aus-1, sw-aus-2] }
`;

describe('hqwatch check-config with a status database', () => {
  it('accepts the documented shape', () => {
    const res = checkConfig(`${BASE}statusDb: { url: "mysql://hqwatch@active-hq:4308/shorewarestatus", interval: 15s }\n`);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  });

  it('prints every mistake as path: message, and never the password', () => {
    const res = checkConfig(
      `${BASE.replace('sw-aus-2', 'SW-AUS-1')}statusDb:\n  url: "mysql://hqwatch:hunter2@10.1.0.10/shorewarestatus"\n  interval: 5s\n  queryTimeout: 9s\n  schema: { switchStatus: { service: "Service status" } }\n`,
    );
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n').sort()).toEqual(
      [
        'sites[1].switches[1]: switch "SW-AUS-1" is already listed for site austin',
        'statusDb.queryTimeout: must be shorter than statusDb.interval, so reads never pile up',
        'statusDb.schema.switchStatus.service: table and column names are letters, digits, _ and $',
        'statusDb.url: the password goes in the environment variable HQWATCH_STATUSDB_PASSWORD, never in the URL',
      ].sort(),
    );
    expect(res.stderr).not.toContain('hunter2');
  });

  it('refuses switches listed without a status database', () => {
    const res = checkConfig(BASE);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('sites[1].switches: switch status is read from the ShoreWare status database: configure statusDb\n');
  });
});

describe('hqwatch lab --status-db', () => {
  it('only ever writes to a database on this machine', async () => {
    const result = await runLabCommand({
      statusDb: 'mysql://root@10.1.0.10/shorewarestatus',
      octet: OCTET,
      controlPort: 0,
      log: () => undefined,
    });
    expect(result).toEqual({
      exitCode: 2,
      errors: ['--status-db: the lab only writes to a database on this machine (127.0.0.0/8 or localhost)'],
    });
  });

  it('says so when the database cannot be reached', async () => {
    const result = await runLabCommand({
      statusDb: 'mysql://root@127.0.0.1:1/shorewarestatus',
      octet: OCTET,
      controlPort: 0,
      log: () => undefined,
    });
    expect(result).toMatchObject({
      exitCode: 2,
      errors: [expect.stringMatching(/^--status-db: cannot connect to root@127\.0\.0\.1:1\/shorewarestatus: /)],
    });
  });

  it.skipIf(!maria.available)('creates the databases for the demo topology and keeps them in line with the nodes', async () => {
    const db = mariadbDatabases();
    const lines: string[] = [];
    const result = await runLabCommand({ statusDb: db.url, octet: OCTET, controlPort: 0, log: (l) => lines.push(l) });
    if ('exitCode' in result) throw new Error(result.errors.join('\n'));
    const admin = await mariadbConnection();
    try {
      expect(lines).toContain(`lab: driving the status database root@127.0.0.1:3306/${db.status} (configuration database ${db.config})`);
      const [sites] = await admin.query(`SELECT COUNT(*) AS n FROM \`${db.config}\`.sites`);
      expect((sites as { n: number }[])[0]!.n).toBe(12);
      await result.lab.setState('dvs-boston', 'down');
      await result.statusDb!.tick();
      const [rows] = await admin.query(
        `SELECT sw.HostName AS name, st.Service AS code FROM \`${db.status}\`.heapswitchstatus st JOIN \`${db.config}\`.switches sw USING (SwitchID) WHERE sw.HostName LIKE 'sw-boston-%' OR sw.HostName LIKE 'sw-hq-%' ORDER BY name`,
      );
      expect(rows).toEqual([
        { name: 'sw-boston-1', code: 490 },
        { name: 'sw-boston-2', code: 490 },
        { name: 'sw-hq-1', code: 110 },
        { name: 'sw-hq-2', code: 110 },
      ]);
    } finally {
      await result.close();
      await admin.end();
      await db.drop();
    }
  });
});
