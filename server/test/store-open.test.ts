import { openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, StoreOpenError } from '../src/store/database.ts';
import { SCHEMA_VERSION } from '../src/store/migrations.ts';
import { openStore } from '../src/store/store.ts';
import { tempDataDir } from './store-scenario.ts';

const OPTS = { retentionDays: 90, checkpointIntervalMs: 60_000 };
let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function dataDir(): string {
  const { dir, cleanup } = tempDataDir();
  cleanups.push(cleanup);
  return dir;
}

async function refusal(fn: () => unknown): Promise<StoreOpenError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof StoreOpenError) return err;
    throw err;
  }
  throw new Error('the store opened');
}

describe('opening the history database', () => {
  it('creates hqwatch.db in WAL mode with synchronous FULL and the current schema version', () => {
    const dir = dataDir();
    const db = openDatabase(path.join(dir, 'nested', 'data'));
    cleanups.unshift(() => db.close());
    expect(db.name).toBe(path.join(dir, 'nested', 'data', 'hqwatch.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('reopens its own file and keeps what it holds', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir, ...OPTS });
    await store.heartbeat('2026-03-02T08:00:00.000Z');
    await store.close();
    const again = await openStore({ dataDir: dir, ...OPTS });
    const gap = await again.recordStartGap('2026-03-02T08:05:00.000Z');
    await again.close();
    expect(gap).toMatchObject({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T08:05:00.000Z', durationMs: 300_000 });
  });

  it('refuses a file that is not SQLite as corrupt, exit code 65, and leaves it untouched', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'hqwatch.db');
    writeFileSync(file, 'these are not the pages you are looking for'.repeat(200));
    const before = readFileSync(file);
    const err = await refusal(() => openStore({ dataDir: dir, ...OPTS }));
    expect(err.failure).toBe('corrupt');
    expect(err.exitCode).toBe(65);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/will not replace it/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a database with a damaged page as corrupt', async () => {
    const dir = dataDir();
    const store = await openStore({ dataDir: dir, ...OPTS });
    await store.heartbeat('2026-03-02T08:00:00.000Z');
    await store.close();
    const fd = openSync(path.join(dir, 'hqwatch.db'), 'r+');
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 3 * 4096);
    closeSync(fd);
    expect((await refusal(() => openStore({ dataDir: dir, ...OPTS }))).failure).toBe('corrupt');
  });

  it('refuses a database written by a newer hqwatch, exit code 78', async () => {
    const dir = dataDir();
    const db = new Sqlite(path.join(dir, 'hqwatch.db'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const err = await refusal(() => openStore({ dataDir: dir, ...OPTS }));
    expect(err.failure).toBe('newer-schema');
    expect(err.exitCode).toBe(78);
    expect(err.message).toMatch(/newer than this hqwatch knows/);
  });

  it('refuses a database another monitor holds, exit code 75, and leaves the holder working', async () => {
    const dir = dataDir();
    const holder = await openStore({ dataDir: dir, ...OPTS });
    const err = await refusal(() => openStore({ dataDir: dir, ...OPTS, busyTimeoutMs: 50 }));
    expect(err.failure).toBe('locked');
    expect(err.exitCode).toBe(75);
    await holder.heartbeat('2026-03-02T08:00:00.000Z');
    expect((await holder.health()).ok).toBe(true);
    await holder.close();
  });
});
