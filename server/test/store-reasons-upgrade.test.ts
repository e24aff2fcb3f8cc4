/**
 * Reasons are stored as facts (code, parameters, site) since SQLite step 6 and PostgreSQL step 4.
 * A history written by the previous version (sentences in `reasons`, built here from the previous
 * version's migrations and filled with the same history a store of this build recorded) opens,
 * replays and exports exactly as the same history recorded by this build: its intervals keep their
 * sentences; what is recorded after the upgrade is kept as facts.
 */
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { renderReason, type HqwatchConfig, type IncidentDetail, type ReasonCode, type ServiceKey } from '@hqwatch/shared';
import { exportCsv } from '../src/api/export-csv.ts';
import { exportMarkdown } from '../src/api/export-markdown.ts';
import { parsePostgresUrl } from '../src/store/backend-postgres.ts';
import { migratePostgres } from '../src/store/migrations-postgres.ts';
import { MIGRATIONS } from '../src/store/migrations.ts';
import { postgresSql } from '../src/store/sql/postgres.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { checkService, postgresSchema } from './support/services.ts';
import { STORE_BACKENDS } from './support/store-backends.ts';
import {
  createDriver,
  MINUTE,
  NORMAL,
  PRIMARY_DOWN,
  runFailoverScenario,
  scenarioConfig,
  T0,
  type ScenarioMoments,
} from './store-scenario.ts';

const config: HqwatchConfig = scenarioConfig();
const postgres = await checkService('postgres');
/** The schema versions the previous version wrote: SQLite steps 1–5, PostgreSQL steps 1–3. */
const PREVIOUS = { sqlite: 5, postgres: 3 } as const;

type Row = Record<string, unknown>;

/**
 * A history recorded by this build, in a SQLite file of its own: its rows read with the store
 * closed (it holds the file), then the store opened again to compare with.
 */
async function recordedHistory(
  cleanups: (() => Promise<void>)[],
): Promise<{ store: Store; moments: ScenarioMoments; rows: ReturnType<typeof previousRows> }> {
  const place = await STORE_BACKENDS.find((b) => b.name === 'sqlite')!.place();
  cleanups.push(() => place.cleanup());
  const writer = await place.open();
  const moments = await runFailoverScenario(createDriver(writer, config, T0));
  await writer.close();
  const rows = previousRows(path.join(place.dataDir, 'hqwatch.db'));
  const store = await place.open();
  cleanups.push(() => store.close());
  return { store, moments, rows };
}

/**
 * The rows of a history in the previous version's schema: every table it had, the columns it had,
 * and each reason as the sentence it stored (worded from this build's facts, which say the very
 * same words: `reasons-golden.test.ts`).
 */
function previousRows(file: string): { tables: Map<string, Row[]>; sentences: string[] } {
  const db = new Sqlite(file, { readonly: true });
  try {
    const tables = new Map<string, Row[]>();
    const old = new Sqlite(':memory:');
    for (const step of MIGRATIONS.slice(0, PREVIOUS.sqlite)) old.exec(step);
    const names = old.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const sentences: string[] = [];
    for (const name of names) {
      const columns = (old.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((c) => c.name);
      if (name === 'impact_intervals') {
        const rows = db
          .prepare(
            `SELECT ${columns
              .filter((c) => c !== 'reason_id')
              .map((c) => `impact_intervals.${c}`)
              .join(', ')}, f.code, f.params, f.site AS site_name
             FROM impact_intervals LEFT JOIN reason_facts f ON f.id = reason_fact_id ORDER BY impact_intervals.id`,
          )
          .all() as Row[];
        tables.set(
          name,
          rows.map(({ code, params, site_name, ...row }) => {
            if (code === null) return { ...row, reason_id: null };
            const text = renderReason(code as ReasonCode, JSON.parse(String(params)), {
              site: String(site_name),
              service: row.service as ServiceKey,
            });
            if (!sentences.includes(text)) sentences.push(text);
            return { ...row, reason_id: sentences.indexOf(text) + 1 };
          }),
        );
      } else if (name !== 'reasons') {
        tables.set(name, db.prepare(`SELECT ${columns.join(', ')} FROM ${name}`).all() as Row[]);
      }
    }
    tables.set(
      'reasons',
      sentences.map((text, i) => ({ id: i + 1, text })),
    );
    old.close();
    return { tables, sentences };
  } finally {
    db.close();
  }
}

/** Tables in an order that inserts what rows refer to first: intervals refer to reasons. */
const parentsFirst = (rows: Map<string, Row[]>) => ['reasons', ...[...rows.keys()].filter((t) => t !== 'reasons')];

/** A SQLite file as the previous version left it: its migrations, then the rows. */
function writePreviousSqlite(file: string, rows: Map<string, Row[]>): void {
  const db = new Sqlite(file);
  for (const step of MIGRATIONS.slice(0, PREVIOUS.sqlite)) db.exec(step);
  db.pragma(`user_version = ${PREVIOUS.sqlite}`);
  db.transaction(() => {
    for (const table of parentsFirst(rows))
      for (const row of rows.get(table) ?? []) {
        const columns = Object.keys(row);
        db.prepare(`INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
          ...columns.map((c) => row[c] as never),
        );
      }
  })();
  db.close();
}

/** What a review, a replay and the exports show of the scenario's incident. */
async function seen(store: Store, moments: ScenarioMoments) {
  const detail = (await store.incidentDetail(moments.incidentId, config))!;
  const replays = await Promise.all(
    [moments.failoverStart, moments.failoverEnd, moments.failbackStart, moments.closedAt].map((at) =>
      store.replay(moments.incidentId, at, config),
    ),
  );
  return { detail, replays, markdown: exportMarkdown(detail), csv: exportCsv(detail) };
}

/** The detail without the reason facts: what a history recorded before them can say. */
function withoutFacts(detail: IncidentDetail): IncidentDetail {
  return {
    ...detail,
    impact: detail.impact.map((site) => ({
      ...site,
      services: site.services.map((s) => ({ ...s, intervals: s.intervals.map(({ reasonCode: _c, params: _p, ...rest }) => rest) })),
    })),
  };
}

async function expectSameAsRecorded(
  upgraded: Store,
  recorded: Store,
  moments: ScenarioMoments,
  sentences: readonly string[],
): Promise<void> {
  const before = await seen(recorded, moments);
  const after = await seen(upgraded, moments);
  // Replay rebuilds the live state from the stored engine core: the same, reasons and their codes included.
  expect(after.replays).toEqual(before.replays);
  expect(after.replays.every((r) => r.ok)).toBe(true);
  // The review and the exports say the same words; the old intervals have their sentences, not facts.
  expect(after.detail).toEqual(withoutFacts(before.detail));
  expect(after.markdown).toBe(before.markdown);
  expect(after.csv).toBe(before.csv);
  const reasons = after.detail.impact.flatMap((s) => s.services.flatMap((x) => x.intervals.map((i) => i.reason)));
  expect(reasons).toContain('Call Manager telephony for Headquarters runs through HQ, which is failing over to HQ secondary');
  // Every one of them is a sentence the previous version stored.
  expect(reasons.filter((r) => r !== undefined && !sentences.includes(r))).toEqual([]);
  expect(after.detail.impact.flatMap((s) => s.services.flatMap((x) => x.intervals)).some((i) => 'reasonCode' in i)).toBe(false);
}

/** A failover after the upgrade is kept as facts, beside the sentences from before. */
async function expectFactsAfterUpgrade(store: Store, moments: ScenarioMoments): Promise<void> {
  const driver = createDriver(store, config, new Date(Date.parse(moments.closedAt) + 10 * MINUTE).toISOString());
  await driver.until(NORMAL, (s) => s.hq.state === 'primary-active');
  const over = await driver.until(PRIMARY_DOWN, (s) => s.hq.state === 'failing-over');
  await store.flush();
  const detail = (await store.incidentDetail(over.incident!.id, config))!;
  const hq = detail.impact
    .find((s) => s.siteId === 'hq')!
    .services.find((s) => s.service === 'telephony')!
    .intervals.at(-1)!;
  expect(hq).toMatchObject({
    reason: 'Call Manager telephony for Headquarters runs through HQ, which is failing over to HQ secondary',
    reasonCode: 'via',
    params: [['HQ', 'failing-over', 'HQ secondary']],
  });
  const old = (await store.incidentDetail(moments.incidentId, config))!;
  expect(old.impact.length).toBeGreaterThan(0);
}

describe('a history written by the previous version (reasons as sentences)', () => {
  let cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });

  it('SQLite step 6: the file opens, replays, reviews and exports as this build recorded it, and records facts from then on', async () => {
    const {
      store: recorded,
      moments,
      rows: { tables, sentences },
    } = await recordedHistory(cleanups);
    expect(sentences.length).toBeGreaterThan(5);
    const place = await STORE_BACKENDS.find((b) => b.name === 'sqlite')!.place();
    cleanups.push(() => place.cleanup());
    writePreviousSqlite(path.join(place.dataDir, 'hqwatch.db'), tables);

    const upgraded = await place.open();
    cleanups.push(() => upgraded.close());
    await expectSameAsRecorded(upgraded, recorded, moments, sentences);
    await expectFactsAfterUpgrade(upgraded, moments);
  });

  describe.skipIf(!postgres.available)('PostgreSQL', () => {
    it('step 4: a schema as the previous version left it opens, replays, reviews and exports the same, and records facts from then on', async () => {
      const {
        store: recorded,
        moments,
        rows: { tables, sentences },
      } = await recordedHistory(cleanups);
      const schema = postgresSchema();
      cleanups.push(() => schema.drop());
      const target = parsePostgresUrl(schema.url());
      const sql = postgresSql(pg, { connectionString: target.connectionString, schema: target.schema }, () => undefined);
      try {
        await sql.run(`CREATE SCHEMA ${target.schema}`);
        await migratePostgres(sql, PREVIOUS.postgres);
        await sql.tx(async (tx) => {
          await tx.run('DELETE FROM store_writer');
          const order = parentsFirst(tables);
          for (const table of order) {
            // Columns SQLite keeps and PostgreSQL never had (impact_intervals.reason, emptied by SQLite's step 2) stay behind.
            const known = new Set(
              (
                await tx.all<{ name: string }>(
                  'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
                  [table],
                )
              ).map((c) => c.name),
            );
            for (const row of tables.get(table) ?? []) {
              const columns = Object.keys(row).filter((c) => known.has(c));
              const identity = columns.includes('id') && table !== 'store_writer' ? ' OVERRIDING SYSTEM VALUE' : '';
              await tx.run(
                `INSERT INTO ${table} (${columns.join(', ')})${identity} VALUES (${columns.map(() => '?').join(', ')})`,
                columns.map((c) => row[c] as string | number | null),
              );
            }
          }
          const identities = await tx.all<{ name: string }>(
            "SELECT table_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
          );
          for (const { name } of identities)
            await tx.run(
              `SELECT setval(pg_get_serial_sequence('${name}', 'id')::regclass, greatest(1, (SELECT coalesce(max(id), 0) FROM ${name}))::bigint)`,
            );
        });
      } finally {
        await sql.close();
      }

      const upgraded = await openStore({ kind: 'postgres', url: schema.url(), retentionDays: 90 });
      cleanups.push(() => upgraded.close());
      await expectSameAsRecorded(upgraded, recorded, moments, sentences);
      await expectFactsAfterUpgrade(upgraded, moments);
    });
  });
});
