// `hqwatch user …` and `hqwatch kiosk …` as an administrator runs them, against the store of a
// data directory or a config file. Loopback octet 42 names the config's addresses (never probed).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAccountStore } from '../src/store/accounts-open.ts';
import { verifyPassword } from '../src/auth/passwords.ts';
import { startTestApp } from './support/app.ts';
import { testConfig } from './support/config.ts';
import { scriptedProbes } from './support/fake-probes.ts';
import { openStore } from '../src/store/store.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function hqwatch(args: string[], stdin?: string): Promise<Run> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/hqwatch.mjs'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdin.end(stdin ?? '');
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-accounts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const data = () => ['--data', dir];

async function storedUser(name: string) {
  const opened = await openAccountStore({ kind: 'sqlite', dataDir: dir, checkpointIntervalMs: 60_000 });
  try {
    return await opened.accounts.getUser(name);
  } finally {
    await opened.close();
  }
}

describe('hqwatch user', () => {
  it('adds, lists, changes and removes users in the data directory’s store, the password from standard input', async () => {
    const add = await hqwatch(['user', 'add', 'Alice', '--role', 'admin', '--password-stdin', ...data()], 'correct horse battery\n');
    expect(add, add.err).toMatchObject({ code: 0, out: 'user "alice" added (admin)\n' });
    expect(await hqwatch(['user', 'add', 'bob', '--role', 'operator', '--password-stdin', ...data()], 'bobs-password-1\n')).toMatchObject({
      code: 0,
    });

    const stored = await storedUser('alice');
    expect(stored).toMatchObject({ name: 'alice', role: 'admin' });
    expect(stored!.passwordHash).toMatch(/^scrypt\$N=32768,r=8,p=1\$/);
    expect(await verifyPassword('correct horse battery', stored!.passwordHash)).toBe(true);

    const list = await hqwatch(['user', 'list', ...data()]);
    expect(list.code).toBe(0);
    const lines = list.out.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ROLE\s+CREATED\s+CHANGED$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['alice', 'admin'],
      ['bob', 'operator'],
    ]);
    expect(list.out).not.toMatch(/scrypt|password/);

    expect(await hqwatch(['user', 'passwd', 'bob', '--password-stdin', ...data()], 'a-new-password\n')).toMatchObject({
      code: 0,
      out: 'password of "bob" changed; their sessions have ended\n',
    });
    expect(await verifyPassword('a-new-password', (await storedUser('bob'))!.passwordHash)).toBe(true);
    expect(await hqwatch(['user', 'role', 'bob', '--role', 'viewer', ...data()])).toMatchObject({ code: 0 });
    expect((await storedUser('bob'))!.role).toBe('viewer');
    expect(await hqwatch(['user', 'remove', 'bob', ...data()])).toMatchObject({
      code: 0,
      out: 'user "bob" removed; their sessions have ended\n',
    });
    expect(await storedUser('bob')).toBeNull();
  });

  it('refuses with a reason and an exit code: a name taken (1), an unknown user (1), a bad role, a short password, no password (2)', async () => {
    await hqwatch(['user', 'add', 'carol', '--role', 'viewer', '--password-stdin', ...data()], 'carols-password\n');
    expect(await hqwatch(['user', 'add', 'carol', '--role', 'viewer', '--password-stdin', ...data()], 'carols-password\n')).toMatchObject({
      code: 1,
      err: 'hqwatch: a user "carol" exists already\n',
    });
    expect(await hqwatch(['user', 'remove', 'dave', ...data()])).toMatchObject({ code: 1, err: 'hqwatch: no user "dave"\n' });
    const role = await hqwatch(['user', 'add', 'erin', '--role', 'root', '--password-stdin', ...data()], 'erins-password\n');
    expect(role.code).toBe(2);
    expect(role.err).toMatch(/--role must be viewer, operator or admin/);
    const short = await hqwatch(['user', 'add', 'erin', '--role', 'viewer', '--password-stdin', ...data()], 'short\n');
    expect(short.code).toBe(2);
    expect(short.err).toMatch(/at least 10 characters/);
    // No terminal and no --password-stdin: nothing to ask on.
    const none = await hqwatch(['user', 'add', 'erin', '--role', 'viewer', ...data()]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/--password-stdin/);
    const name = await hqwatch(['user', 'add', 'no spaces', '--role', 'viewer', '--password-stdin', ...data()], 'a-fine-password\n');
    expect(name.code).toBe(1);
    expect(name.err).toMatch(/a user name is/);
    expect(await storedUser('erin')).toBeNull();
  });

  it('uses the store a config file names', async () => {
    const configFile = path.join(dir, 'hqwatch.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        headquarters: {
          primary: { name: 'P', address: '127.42.1.10', probes: [{ kind: 'tcp', port: 4308 }] },
          secondary: { name: 'S', address: '127.42.2.10', probes: [{ kind: 'tcp', port: 4308 }] },
        },
      }),
    );
    const other = path.join(dir, 'elsewhere');
    const run = await hqwatch(
      ['user', 'add', 'frank', '--role', 'operator', '--password-stdin', '--config', configFile, '--data', other],
      'franks-password\n',
    );
    expect(run.code, run.err).toBe(0);
    const opened = await openAccountStore({ kind: 'sqlite', dataDir: other, checkpointIntervalMs: 60_000 });
    expect(await opened.accounts.getUser('frank')).not.toBeNull();
    await opened.close();
  });

  it('says to use the admin page while a running hqwatch holds the SQLite file (exit 75)', async () => {
    const store = await openStore({ kind: 'sqlite', dataDir: dir, checkpointIntervalMs: 60_000, retentionDays: 90 });
    const t = await startTestApp(testConfig(42), { store, runProbe: scriptedProbes().run });
    try {
      const run = await hqwatch(['user', 'list', ...data()]);
      expect(run.code).toBe(75);
      expect(run.err).toMatch(/in use by another process.*admin page, \/admin/);
    } finally {
      await t.close();
    }
  });
});

describe('hqwatch kiosk', () => {
  it('adds a display and prints its URL once, lists it without the token, and revokes it', async () => {
    const add = await hqwatch(['kiosk', 'add', 'Lobby wall', '--url', 'https://noc.example/', ...data()]);
    expect(add.code, add.err).toBe(0);
    const url = /^https:\/\/noc\.example\/wall\?token=(hqk_[A-Za-z0-9_-]{43})$/m.exec(add.out);
    expect(url, add.out).not.toBeNull();
    const list = await hqwatch(['kiosk', 'list', ...data()]);
    expect(list.out).toMatch(/^NAME\s+CREATED\s+LAST SEEN\nLobby wall\s+\S+\s+never\n$/);
    expect(list.out).not.toContain(url![1]);
    expect(await hqwatch(['kiosk', 'add', 'Lobby wall', ...data()])).toMatchObject({ code: 1 });
    expect(await hqwatch(['kiosk', 'revoke', 'Lobby wall', ...data()])).toMatchObject({
      code: 0,
      out: 'kiosk display "Lobby wall" revoked; its wall drops to the login screen\n',
    });
    expect((await hqwatch(['kiosk', 'list', ...data()])).out).toBe('NAME  CREATED  LAST SEEN\n');
    expect(await hqwatch(['kiosk', 'revoke', 'Lobby wall', ...data()])).toMatchObject({ code: 1 });
  });

  it('explains its usage when the action is unknown (exit 2)', async () => {
    const run = await hqwatch(['kiosk', 'rename', 'x', ...data()]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/unknown kiosk action "rename"[\s\S]*hqwatch kiosk add NAME/);
  });
});
