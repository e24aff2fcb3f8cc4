/**
 * The Sql layer both backends share: transactions, the SQLite lock, types that come back the same
 * from either, and the dialect helpers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { anyOf, greatest } from '../src/store/sql/dialect.ts';
import { createLock } from '../src/store/sql/lock.ts';
import { numberedPlaceholders, type Sql } from '../src/store/sql/sql.ts';
import type { StoreBackend } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

describe('placeholders', () => {
  it('numbers each ? for PostgreSQL, leaving quoted ones alone', () => {
    expect(numberedPlaceholders(`SELECT '?' AS "a?", x FROM t WHERE a = ? AND b IN (?, ?)`)).toBe(
      `SELECT '?' AS "a?", x FROM t WHERE a = $1 AND b IN ($2, $3)`,
    );
  });
});

describe('the lock', () => {
  it('runs holders one at a time, in order, whether they succeed or fail', async () => {
    const lock = createLock();
    const seen: string[] = [];
    const slow = lock.run(async () => {
      seen.push('a start');
      await new Promise((r) => setTimeout(r, 20));
      seen.push('a end');
    });
    const failing = lock.run(() => {
      seen.push('b');
      throw new Error('b failed');
    });
    const last = lock.run(() => seen.push('c'));
    await slow;
    await expect(failing).rejects.toThrow('b failed');
    await last;
    expect(seen).toEqual(['a start', 'a end', 'b', 'c']);
  });
});

describeStores('the Sql layer', (backend) => {
  let place: StorePlace | null = null;
  let db: StoreBackend | null = null;
  afterEach(async () => {
    await db?.close();
    await place?.cleanup();
    db = null;
    place = null;
  });

  /** A scratch table in the backend's own types. */
  async function scratch(): Promise<Sql> {
    place = await backend.place();
    db = await place.openBackend();
    const blob = db.sql.dialect === 'postgres' ? 'BYTEA' : 'BLOB';
    await db.sql.run(
      `CREATE TABLE scratch (id ${db.sql.dialect === 'postgres' ? 'BIGINT GENERATED ALWAYS AS IDENTITY' : 'INTEGER'} PRIMARY KEY, at BIGINT NOT NULL, name TEXT, data ${blob})`,
    );
    return db.sql;
  }

  it('gives millisecond times back as numbers, blobs as Buffers, new ids through RETURNING', async () => {
    const sql = await scratch();
    const at = Date.parse('2026-03-02T08:00:00.123Z');
    const row = await sql.get<{ id: number }>('INSERT INTO scratch (at, name, data) VALUES (?, ?, ?) RETURNING id', [
      at,
      'a',
      Buffer.from([0, 1, 254, 255]),
    ]);
    expect(row).toEqual({ id: 1 });
    expect(await sql.get('SELECT id, at, name, data, count(*) OVER () AS n FROM scratch')).toEqual({
      id: 1,
      at,
      name: 'a',
      data: Buffer.from([0, 1, 254, 255]),
      n: 1,
    });
    expect(await sql.run('UPDATE scratch SET name = ? WHERE id = ?', ['b', 1])).toEqual({ changes: 1 });
  });

  it('commits a transaction that resolves and rolls back one that rejects, passing the rejection on', async () => {
    const sql = await scratch();
    await sql.tx(async (tx) => {
      await tx.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [1, 'kept']);
      // A transaction inside joins the outer one.
      await tx.tx((inner) => inner.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [2, 'kept too']));
    });
    await expect(
      sql.tx(async (tx) => {
        await tx.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [3, 'gone']);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await sql.all<{ name: string }>('SELECT name FROM scratch ORDER BY at')).map((r) => r.name)).toEqual(['kept', 'kept too']);
  });

  it('never lets a statement from outside into a transaction that awaits between its own', async () => {
    const sql = await scratch();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tx = sql.tx(async (t) => {
      await t.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [1, 'inside']);
      await gate;
      await t.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [2, 'inside']);
      throw new Error('rolled back');
    });
    // Issued while the transaction is open: it must see nothing of it, and must not be rolled back with it.
    await new Promise((r) => setTimeout(r, 20));
    const read = sql.all<{ name: string }>('SELECT name FROM scratch');
    const write = sql.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [9, 'outside']);
    release();
    await expect(tx).rejects.toThrow('rolled back');
    // (On PostgreSQL the read and the write run side by side on their own connections.)
    expect((await read).map((r) => r.name)).not.toContain('inside');
    await write;
    expect(await sql.all('SELECT name FROM scratch')).toEqual([{ name: 'outside' }]);
  });

  it('spells IN-lists and the larger of two values for its dialect', async () => {
    const sql = await scratch();
    for (const [at, name] of [
      [5, 'x'],
      [7, 'y'],
      [9, 'z'],
    ] as const)
      await sql.run('INSERT INTO scratch (at, name) VALUES (?, ?)', [at, name]);
    const names = anyOf(sql, 'name', ['x', 'z', 'nope']);
    expect(
      (await sql.all<{ at: number }>(`SELECT at FROM scratch WHERE ${names.text} ORDER BY at`, names.params)).map((r) => r.at),
    ).toEqual([5, 9]);
    const ids = anyOf(sql, 'at', [7]);
    expect(await sql.all(`SELECT name FROM scratch WHERE ${ids.text}`, ids.params)).toEqual([{ name: 'y' }]);
    expect(await sql.get(`SELECT ${greatest(sql, 'at', '?')} AS m FROM scratch WHERE name = ?`, [6, 'x'])).toEqual({ m: 6 });
  });
});
