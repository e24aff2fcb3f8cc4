import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import type { Clock } from '../src/monitor/clock.ts';
import { createStatusDbPoller } from '../src/statusdb/poller.ts';
import { testConfig } from './support/config.ts';
import { checkService, mariadbConnection, mariadbDatabases, type MariadbDatabases } from './support/services.ts';
import { seedStatusDb } from './support/status-db-seed.ts';

// Loopback octet 54 (127.54.x.y) for this file; nothing is probed.
const OCTET = 54;

const maria = await checkService('mariadb');

/** A clock the test moves: the poller's deadlines are on `monotonic`. */
function manualClock(): Clock & { advance(ms: number): void } {
  let wall = Date.parse('2026-03-02T10:00:00.000Z');
  let mono = 1_000;
  return {
    now: () => wall,
    monotonic: () => mono,
    advance(ms) {
      wall += ms;
      mono += ms;
    },
  };
}

describe.skipIf(!maria.available)('a status database with no read finished for too long (real MariaDB, a test clock)', () => {
  let admin: Connection;
  let db: MariadbDatabases;

  beforeAll(async () => {
    admin = await mariadbConnection();
    db = mariadbDatabases();
    await seedStatusDb(admin, db, { primary: `127.${OCTET}.1.10`, dvs: `127.${OCTET}.3.10` });
  });
  afterAll(async () => {
    await db?.drop();
    await admin?.end();
  });

  it('is shown stale once 2 intervals and both timeouts pass without a finished read, its figures kept', async () => {
    const config = testConfig(OCTET, {
      statusDb: { url: db.url, interval: '1s', connectTimeout: '300ms', queryTimeout: '400ms', schema: { configDatabase: db.config } },
    });
    const clock = manualClock();
    // Never started: no read comes but those the test asks for, as if every later one were wedged.
    const poller = createStatusDbPoller({ config, live: () => null, clock, log: createLogger('silent') });
    try {
      await poller.pollNow();
      const fresh = poller.snapshot()!;
      expect(fresh.source).toMatchObject({ status: 'ok', readAt: '2026-03-02T10:00:00.000Z' });
      expect(fresh.source.error).toBeUndefined();
      expect(fresh.sites.hq).toMatchObject({ total: 2, inService: 2 });

      // 2 × 1 s + 300 ms + 400 ms: a read could still be under way.
      clock.advance(2_700);
      expect(poller.snapshot()!.source.status).toBe('ok');

      clock.advance(1);
      const late = poller.snapshot()!;
      expect(late.source).toMatchObject({
        status: 'stale',
        error: 'no read has finished for 2.7 s',
        readAt: '2026-03-02T10:00:00.000Z',
      });
      // Old figures stay as they were read, never turned into switches down.
      expect(late.sites).toEqual(fresh.sites);

      clock.advance(5_000);
      expect(poller.snapshot()!.source.error).toBe('no read has finished for 7.7 s');

      // A read that finishes makes it fresh again.
      await poller.pollNow();
      const again = poller.snapshot()!;
      expect(again.source).toMatchObject({ status: 'ok', readAt: '2026-03-02T10:00:07.701Z' });
      expect(again.source.error).toBeUndefined();
    } finally {
      await poller.stop();
    }
  });
});
