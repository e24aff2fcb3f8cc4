/**
 * History benchmark: one year of synthetic history for the largest topology (the HQ pair and 20
 * distributed servers, three probes each, 500 sites, 50 incidents), written through the store's
 * own write path, then the history API's queries timed on it. On SQLite by default; on PostgreSQL
 * with `--store postgres` (a schema of its own in `--url`, dropped afterwards), which also counts
 * rows per node per day.
 *
 * Incidents are played through the live path's pure functions (stepCore, buildLiveState,
 * deriveEvents), so what is stored is what the monitor would store. Probe rollups, a year of them,
 * go through the rollup repository's write in bulk: playing 16 million rounds would take hours and
 * store the same rows.
 *
 * In the same run, a baseline: one day of one node kept as one row per probe sample (how monitors
 * that store every heartbeat keep it), against which the bytes per node per day compare.
 *
 * Run: npx tsx bench/server/history.bench.ts [--days N] [--store postgres [--url postgres://127.0.0.1:5432/test]]
 * (a benchmark, not a test).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Sqlite from 'better-sqlite3';
import {
  buildLiveState,
  deriveEvents,
  initialCore,
  reconcileCore,
  stepCore,
  type EngineCore,
  type HqwatchConfig,
  type LiveState,
  type RawNodeState,
} from '@hqwatch/shared';
import { openPostgresBackend } from '@hqwatch/server/store/backend-postgres';
import { sqliteBackend } from '@hqwatch/server/store/backend-sqlite';
import { openDatabase } from '@hqwatch/server/store/database';
import type { ProbeMinute } from '@hqwatch/server/store/rollup-aggregator';
import { rollupsRepository } from '@hqwatch/server/store/rollups';
import { createStore, type Store, type StoreBackend } from '@hqwatch/server/store';
import { DISTRIBUTED, dvsId, syntheticConfig } from './synthetic-topology.ts';

const NODES = DISTRIBUTED + 2;
const SITES = 500;
const INCIDENTS = 50;
const PROBES = ['tcp', 'sip', 'http'] as const;
const YEAR_START = Date.parse('2025-01-01T00:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const QUERY_RUNS = 30;

export interface HistoryFigure {
  unit: string;
  /** The goal the figure is read against: below this value. */
  goal: number | null;
  median: number;
  p95: number;
  runs: number[];
}

export type HistoryBackend = 'sqlite' | 'postgres';

export interface HistoryBenchResult {
  machine: { cpu: string; cores: number; node: string };
  date: string;
  backend: HistoryBackend;
  setup: { days: number; nodes: number; sites: number; incidents: number; probes: number; generateSeconds: number; databaseBytes: number };
  /** Database bytes by table and index (PostgreSQL: by table, indexes and TOAST included). */
  breakdown: Record<string, number>;
  /** PostgreSQL only: rows by table. */
  rows?: Record<string, number>;
  figures: Record<string, HistoryFigure>;
}

/** Where the synthetic history is written: opened afresh for each life of the monitor, measured at the end. */
interface BenchDatabase {
  open(): Promise<StoreBackend>;
  bytes(): Promise<number>;
  breakdown(): Promise<Record<string, number>>;
  rows(): Promise<Record<string, number> | undefined>;
  /** Refreshes the planner's statistics, as autovacuum would have by then. */
  analyze(): Promise<void>;
  drop(): Promise<void>;
}

function sqliteDatabase(dir: string): BenchDatabase {
  const file = path.join(dir, 'hqwatch.db');
  return {
    open: async () => sqliteBackend(openDatabase(dir), { checkpointIntervalMs: 3_600_000 }),
    bytes: async () => statSync(file).size,
    async breakdown() {
      const db = new Sqlite(file, { readonly: true });
      try {
        const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as {
          name: string;
          bytes: number;
        }[];
        return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
      } finally {
        db.close();
      }
    },
    rows: async () => undefined,
    analyze: async () => undefined,
    drop: async () => undefined,
  };
}

function postgresDatabase(url: string): BenchDatabase {
  const schema = `hqw_bench_${randomBytes(4).toString('hex')}`;
  const open = () => openPostgresBackend({ url, schema });
  const withSql = async <T>(fn: (backend: StoreBackend) => Promise<T>): Promise<T> => {
    const backend = await open();
    try {
      return await fn(backend);
    } finally {
      await backend.close();
    }
  };
  const TABLES = `SELECT c.relname AS name, pg_total_relation_size(c.oid)::bigint AS bytes FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY bytes DESC`;
  return {
    open,
    bytes: () => withSql(async ({ sql }) => (await sql.all<{ bytes: number }>(TABLES)).reduce((sum, r) => sum + r.bytes, 0)),
    breakdown: () =>
      withSql(async ({ sql }) =>
        Object.fromEntries((await sql.all<{ name: string; bytes: number }>(TABLES)).map((r) => [r.name, r.bytes])),
      ),
    rows: () =>
      withSql(async ({ sql }) => {
        const names = (await sql.all<{ name: string }>(TABLES)).map((r) => r.name);
        const counts: Record<string, number> = {};
        for (const name of names) counts[name] = (await sql.get<{ n: number }>(`SELECT count(*) AS n FROM "${name}"`))!.n;
        return counts;
      }),
    analyze: () => withSql(async ({ sql }) => void (await sql.run('VACUUM ANALYZE'))),
    drop: () => withSql(async ({ sql }) => void (await sql.run(`DROP SCHEMA "${schema}" CASCADE`))),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run stores the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The largest topology. */
const largestConfig = (): HqwatchConfig => syntheticConfig(SITES);

/** Drives the store round by round like the monitor, with time as an argument. */
function driver(store: Store, config: HqwatchConfig, startMs: number, from?: EngineCore) {
  let t = startMs;
  const iso = () => new Date(t).toISOString();
  let core = from ? reconcileCore(from, config, iso()) : initialCore(config, iso());
  const build = () => buildLiveState({ config, core, now: iso(), seq: 0, monitor: { healthy: true } });
  let state: LiveState = build();
  let recorded = from ? state.sites : [];
  const { min, max } = config.monitor.expectedWindow;
  const appendMs: { quiet: number[]; busy: number[] } = { quiet: [], busy: [] };
  const raw: Record<string, RawNodeState> = { primary: 'serving', secondary: 'reachable' };
  for (let i = 0; i < DISTRIBUTED; i++) raw[dvsId(i)] = 'serving';

  async function round(): Promise<LiveState> {
    t += config.monitor.interval;
    const prev = { core, sites: recorded };
    core = stepCore(config, core, { raw, blind: false }, iso());
    state = build();
    recorded = state.sites;
    const events = deriveEvents(prev, { core, sites: state.sites }, iso(), { minMs: min, maxMs: max });
    const started = performance.now();
    await store.append(events, core, iso());
    await store.heartbeat(iso());
    (events.length > 50 ? appendMs.busy : appendMs.quiet).push(performance.now() - started);
    return state;
  }

  return {
    raw,
    appendMs,
    core: () => core,
    now: () => t,
    async until(done: (s: LiveState) => boolean): Promise<void> {
      for (let i = 0; i < 50; i++) if (done(await round())) return;
      throw new Error(`stuck in ${state.hq.state}`);
    },
    async settle(rounds = 4): Promise<void> {
      for (let i = 0; i < rounds; i++) await round();
    },
    /** Time passes with nothing changing; the monitor stays alive. */
    async hold(ms: number): Promise<void> {
      t += ms;
      await store.heartbeat(iso());
    },
    async jumpTo(ms: number): Promise<void> {
      if (ms > t) await this.hold(ms - t);
    },
  };
}

type Driver = ReturnType<typeof driver>;

/** One incident: a failover, mostly followed by hours on the secondary and a failback; sometimes a DVS goes down with it. */
async function playIncident(d: Driver, rnd: () => number, n: number): Promise<void> {
  const window = () => (5 + rnd() * 18) * MINUTE;
  d.raw.primary = 'down';
  await d.until((s) => s.hq.state === 'failing-over');
  const dvs = n % 5 === 4 ? dvsId(Math.floor(rnd() * DISTRIBUTED)) : null;
  if (dvs) {
    d.raw[dvs] = 'down';
    await d.settle();
  }
  await d.hold(window());
  if (n % 4 === 3) {
    // The primary comes back before the secondary takes over: one window, no failback.
    d.raw.primary = 'serving';
  } else {
    d.raw.secondary = 'serving';
    await d.until((s) => s.hq.state === 'secondary-active');
    await d.hold((1 + rnd() * 7) * HOUR);
    d.raw.secondary = 'reachable';
    d.raw.primary = 'reachable';
    await d.until((s) => s.hq.state === 'failing-back');
    await d.hold(window());
    d.raw.primary = 'serving';
  }
  if (dvs) d.raw[dvs] = 'serving';
  await d.until((s) => s.incident === null);
  await d.settle();
}

/** A distributed server down for a while, outside any HQ incident. */
async function playServerOutage(d: Driver, rnd: () => number): Promise<void> {
  const dvs = dvsId(Math.floor(rnd() * DISTRIBUTED));
  d.raw[dvs] = 'down';
  await d.settle();
  await d.hold((5 + rnd() * 25) * MINUTE);
  d.raw[dvs] = 'serving';
  await d.settle();
}

/**
 * A year of per-minute rollups for every probe. Each sample is modelled as the path's base latency
 * plus an exponential jitter (mean 5% of the base): the minute's min, average and max are drawn
 * from the order statistics of 30 such samples. LAN latency at HQ, WAN latency at the servers,
 * and now and then a minute with lost probes.
 */
async function writeRollups(database: BenchDatabase, config: HqwatchConfig, days: number, rnd: () => number): Promise<void> {
  const backend = await database.open();
  const ids = new Map<string, number>();
  const probes = [
    { id: 'primary', base: 0.6 },
    { id: 'secondary', base: 0.8 },
    ...config.servers.map((s) => ({ id: s.id, base: 8 + rnd() * 60 })),
  ].flatMap(({ id, base }) =>
    PROBES.map((kind) => ({ probe: { nodeId: id, kind, target: `${id}:${kind}` }, base: base * (kind === 'http' ? 3 : 1) })),
  );
  const exp = () => -Math.log(1 - rnd());
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const SAMPLES = 30;
  const HARMONIC = Array.from({ length: SAMPLES }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
  const write = (minutes: ProbeMinute[]) => backend.sql.tx((tx) => rollupsRepository(tx, ids).write(minutes));
  for (let day = 0; day < days; day++) {
    const minutes: ProbeMinute[] = [];
    const first = (YEAR_START + day * DAY) / MINUTE;
    for (const { probe, base } of probes) {
      const jitter = base * 0.05;
      for (let m = 0; m < 24 * 60; m++) {
        const failures = rnd() < 0.002 ? 1 + Math.floor(rnd() * SAMPLES) : 0;
        const ok = failures < SAMPLES;
        // Order statistics of SAMPLES exponential jitters: min ~ Exp(mean/n), mean ~ Normal, max ~ mean·H(n) + Gumbel.
        const min = base + (jitter * exp()) / SAMPLES;
        const avg = base + jitter * Math.max(0, 1 + normal() / Math.sqrt(SAMPLES));
        const max = Math.max(avg, base + jitter * (HARMONIC - Math.log(exp())));
        minutes.push({
          probe,
          minute: first + m,
          samples: SAMPLES,
          failures,
          min: ok ? min : null,
          avg: ok ? avg : null,
          max: ok ? max : null,
        });
      }
    }
    await write(minutes);
  }
  await backend.close(); // SQLite: the WAL checkpointed into the file
}

function figure(unit: string, goal: number | null, runs: number[]): HistoryFigure {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { unit, goal, median: round(at(0.5)), p95: round(at(0.95)), runs: runs.map(round) };
}

async function time(fn: () => unknown, runs: number): Promise<number[]> {
  await fn(); // warm: prepared statements, page cache
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out;
}

/** Bytes one node takes in a day when every probe sample is a row (a heartbeat table). */
function rowPerSampleBaseline(dir: string, intervalMs: number): number {
  const file = path.join(dir, 'baseline.db');
  const db = new Sqlite(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE heartbeat (id INTEGER PRIMARY KEY, monitor_id INTEGER NOT NULL, status INTEGER NOT NULL, time INTEGER NOT NULL, ping REAL);
           CREATE INDEX heartbeat_by_monitor ON heartbeat (monitor_id, time)`);
  const insert = db.prepare('INSERT INTO heartbeat (monitor_id, status, time, ping) VALUES (?, 1, ?, ?)');
  db.transaction(() => {
    for (let t = 0; t < DAY; t += intervalMs) for (let p = 0; p < PROBES.length; p++) insert.run(p, YEAR_START + t, 20 + Math.random() * 5);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(file).size;
}

export interface HistoryBenchOptions {
  days?: number;
  log?: (line: string) => void;
  backend?: HistoryBackend;
  /** PostgreSQL server and database; the benchmark works in a schema of its own there. */
  postgresUrl?: string;
}

/** Builds the synthetic year and times the history queries on it. */
export async function runHistoryBench(options: HistoryBenchOptions = {}): Promise<HistoryBenchResult> {
  const days = options.days ?? 365;
  const log = options.log ?? (() => {});
  const backend = options.backend ?? 'sqlite';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hqwatch-history-bench-'));
  const database = backend === 'postgres' ? postgresDatabase(options.postgresUrl ?? 'postgres://127.0.0.1:5432/test') : sqliteDatabase(dir);
  const config = largestConfig();
  const rnd = random(20250101);
  const opts = { retentionDays: 400 };
  try {
    const started = performance.now();
    let store = await createStore(await database.open(), opts);
    let d = driver(store, config, YEAR_START);
    await d.until((s) => s.hq.state === 'primary-active');
    const quiet: number[] = [];
    const busy: number[] = [];
    const end = YEAR_START + days * DAY;
    const incidents = Math.max(1, Math.round((INCIDENTS * days) / 365));
    const gap = (end - YEAR_START) / incidents;
    for (let n = 0; n < incidents; n++) {
      const at = YEAR_START + n * gap + gap * (0.2 + rnd() * 0.5);
      // Two server outages between incidents, and twice a year a monitor restart (a gap).
      await d.jumpTo(at - gap * 0.5);
      await playServerOutage(d, rnd);
      await d.jumpTo(at - gap * 0.25);
      await playServerOutage(d, rnd);
      if (n % 25 === 12) {
        quiet.push(...d.appendMs.quiet);
        busy.push(...d.appendMs.busy);
        const core = d.core();
        const restartAt = d.now() + 10 * MINUTE;
        await store.close();
        store = await createStore(await database.open(), opts);
        d = driver(store, config, restartAt, core);
        await d.settle();
      }
      await d.jumpTo(at);
      await playIncident(d, rnd, n);
    }
    await d.jumpTo(end);
    quiet.push(...d.appendMs.quiet);
    busy.push(...d.appendMs.busy);
    await store.close();
    log(`history of ${incidents} incidents written in ${Math.round(performance.now() - started)} ms`);
    await writeRollups(database, config, days, rnd);
    const generateSeconds = Math.round((performance.now() - started) / 100) / 10;
    log(`rollups written; ${generateSeconds} s in all`);

    await database.analyze();
    const databaseBytes = await database.bytes();
    const breakdown = await database.breakdown();
    const rows = await database.rows();
    const openRuns = await time(async () => (await createStore(await database.open(), opts)).close(), 5);
    store = await createStore(await database.open(), opts);

    const list = await store.listIncidents({ limit: 50, offset: 0 }, config);
    const ids = list.incidents.map((i) => i.id);
    const pick = random(7);
    const detailRuns = await time(
      async () => JSON.stringify(await store.incidentDetail(ids[Math.floor(pick() * ids.length)]!, config)),
      QUERY_RUNS,
    );
    const listRuns = await time(async () => JSON.stringify(await store.listIncidents({ limit: 50, offset: 0 }, config)), QUERY_RUNS);
    const to = new Date(end).toISOString();
    const from = new Date(end - 30 * DAY).toISOString();
    const availabilityRuns = await time(async () => JSON.stringify(await store.availability(from, to, config)), QUERY_RUNS);
    const detailBytes: number[] = [];
    for (const id of ids) detailBytes.push(JSON.stringify(await store.incidentDetail(id, config)).length);
    await store.close();

    const perNodeDay = databaseBytes / NODES / days;
    const figures: Record<string, HistoryFigure> = {
      'incident list (50, JSON)': figure('ms', 20, listRuns),
      'incident detail (JSON)': figure('ms', 50, detailRuns),
      'incident detail size': figure('bytes', null, detailBytes),
      '30-day availability, 500 sites (JSON)': figure('ms', 200, availabilityRuns),
      'database per node per day': figure('bytes', 20_480, [perNodeDay]),
    };
    if (backend === 'sqlite') {
      figures['baseline: a row per probe sample, per node per day'] = figure('bytes', null, [
        rowPerSampleBaseline(dir, config.monitor.interval),
      ]);
      figures['open with quick_check'] = figure('ms', null, openRuns);
    } else {
      const total = Object.values(rows ?? {}).reduce((sum, n) => sum + n, 0);
      figures['rows per node per day'] = figure('rows', null, [total / NODES / days]);
      figures['open (connect, lock, schema check)'] = figure('ms', null, openRuns);
    }
    figures['append, quiet round'] = figure('ms', null, quiet);
    figures['append, transition round (500 sites)'] = figure('ms', null, busy);
    return {
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
      date: new Date().toISOString(),
      backend,
      setup: { days, nodes: NODES, sites: SITES, incidents: list.total, probes: NODES * PROBES.length, generateSeconds, databaseBytes },
      breakdown,
      ...(rows && { rows }),
      figures,
    };
  } finally {
    await database.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function printResult(r: HistoryBenchResult): void {
  console.log(
    `history benchmark (${r.backend}): ${r.setup.days} days, ${r.setup.nodes} nodes (${r.setup.probes} probes), ${r.setup.sites} sites, ${r.setup.incidents} incidents`,
  );
  console.log(
    `${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}; generated in ${r.setup.generateSeconds} s; database ${r.setup.databaseBytes} bytes`,
  );
  console.log(`${'figure'.padEnd(52)}${'median'.padStart(12)}${'p95'.padStart(12)}  goal`);
  for (const [name, f] of Object.entries(r.figures)) {
    const goal = f.goal === null ? '' : `< ${f.goal} ${f.unit} ${f.median < f.goal ? 'met' : 'MISSED'}`;
    console.log(`${name.padEnd(52)}${`${f.median} ${f.unit}`.padStart(12)}${String(f.p95).padStart(12)}  ${goal}`);
  }
  const ours = r.figures['database per node per day']!.median;
  const baseline = r.figures['baseline: a row per probe sample, per node per day']?.median;
  if (baseline !== undefined) console.log(`row-per-sample baseline / hqwatch: ${(baseline / ours).toFixed(1)}×`);
  console.log('bytes by table/index:', r.breakdown);
  if (r.rows) console.log('rows by table:', r.rows);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { days: { type: 'string' }, store: { type: 'string' }, url: { type: 'string' } } });
  if (values.store !== undefined && values.store !== 'sqlite' && values.store !== 'postgres')
    throw new Error('--store is sqlite or postgres');
  printResult(
    await runHistoryBench({
      days: values.days ? Number(values.days) : undefined,
      backend: values.store,
      postgresUrl: values.url,
      log: (line) => console.log(line),
    }),
  );
}
