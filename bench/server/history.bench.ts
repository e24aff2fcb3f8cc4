/**
 * History benchmark: one year of synthetic history for the largest topology (the HQ pair and 20
 * distributed servers, three probes each, 500 sites, 50 incidents), written through the store's
 * own write path, then the history API's queries timed on it.
 *
 * Incidents are played through the live path's pure functions (stepCore, buildLiveState,
 * deriveEvents), so what is stored is what the monitor would store. Probe rollups, a year of them,
 * go through the rollup repository's write in bulk: playing 16 million rounds would take hours and
 * store the same rows.
 *
 * In the same run, a baseline: one day of one node kept as one row per probe sample (how monitors
 * that store every heartbeat keep it), against which the bytes per node per day compare.
 *
 * Run: npx tsx bench/server/history.bench.ts [--days N] (a benchmark, not a test).
 */
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
import { openDatabase } from '@hqwatch/server/store/database';
import type { ProbeMinute } from '@hqwatch/server/store/rollup-aggregator';
import { rollupsRepository } from '@hqwatch/server/store/rollups';
import { createStore, type Store } from '@hqwatch/server/store';
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

export interface HistoryBenchResult {
  machine: { cpu: string; cores: number; node: string };
  date: string;
  setup: { days: number; nodes: number; sites: number; incidents: number; probes: number; generateSeconds: number; databaseBytes: number };
  /** Database bytes by table and index. */
  breakdown: Record<string, number>;
  figures: Record<string, HistoryFigure>;
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

  function round(): LiveState {
    t += config.monitor.interval;
    const prev = { core, sites: recorded };
    core = stepCore(config, core, { raw, blind: false }, iso());
    state = build();
    recorded = state.sites;
    const events = deriveEvents(prev, { core, sites: state.sites }, iso(), { minMs: min, maxMs: max });
    const started = performance.now();
    store.append(events, core, iso());
    store.heartbeat(iso());
    (events.length > 50 ? appendMs.busy : appendMs.quiet).push(performance.now() - started);
    return state;
  }

  return {
    raw,
    appendMs,
    core: () => core,
    now: () => t,
    until(done: (s: LiveState) => boolean): void {
      for (let i = 0; i < 50; i++) if (done(round())) return;
      throw new Error(`stuck in ${state.hq.state}`);
    },
    settle(rounds = 4): void {
      for (let i = 0; i < rounds; i++) round();
    },
    /** Time passes with nothing changing; the monitor stays alive. */
    hold(ms: number): void {
      t += ms;
      store.heartbeat(iso());
    },
    jumpTo(ms: number): void {
      if (ms > t) this.hold(ms - t);
    },
  };
}

type Driver = ReturnType<typeof driver>;

/** One incident: a failover, mostly followed by hours on the secondary and a failback; sometimes a DVS goes down with it. */
function playIncident(d: Driver, rnd: () => number, n: number): void {
  const window = () => (5 + rnd() * 18) * MINUTE;
  d.raw.primary = 'down';
  d.until((s) => s.hq.state === 'failing-over');
  const dvs = n % 5 === 4 ? dvsId(Math.floor(rnd() * DISTRIBUTED)) : null;
  if (dvs) {
    d.raw[dvs] = 'down';
    d.settle();
  }
  d.hold(window());
  if (n % 4 === 3) {
    // The primary comes back before the secondary takes over: one window, no failback.
    d.raw.primary = 'serving';
  } else {
    d.raw.secondary = 'serving';
    d.until((s) => s.hq.state === 'secondary-active');
    d.hold((1 + rnd() * 7) * HOUR);
    d.raw.secondary = 'reachable';
    d.raw.primary = 'reachable';
    d.until((s) => s.hq.state === 'failing-back');
    d.hold(window());
    d.raw.primary = 'serving';
  }
  if (dvs) d.raw[dvs] = 'serving';
  d.until((s) => s.incident === null);
  d.settle();
}

/** A distributed server down for a while, outside any HQ incident. */
function playServerOutage(d: Driver, rnd: () => number): void {
  const dvs = dvsId(Math.floor(rnd() * DISTRIBUTED));
  d.raw[dvs] = 'down';
  d.settle();
  d.hold((5 + rnd() * 25) * MINUTE);
  d.raw[dvs] = 'serving';
  d.settle();
}

/**
 * A year of per-minute rollups for every probe. Each sample is modelled as the path's base latency
 * plus an exponential jitter (mean 5% of the base): the minute's min, average and max are drawn
 * from the order statistics of 30 such samples. LAN latency at HQ, WAN latency at the servers,
 * and now and then a minute with lost probes.
 */
function writeRollups(dbPath: string, config: HqwatchConfig, days: number, rnd: () => number): void {
  const db = openDatabase(dbPath);
  const rollups = rollupsRepository(db);
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
  const write = db.transaction((minutes: ProbeMinute[]) => rollups.write(minutes));
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
    write(minutes);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

function figure(unit: string, goal: number | null, runs: number[]): HistoryFigure {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { unit, goal, median: round(at(0.5)), p95: round(at(0.95)), runs: runs.map(round) };
}

function time(fn: () => unknown, runs: number): number[] {
  fn(); // warm: prepared statements, page cache
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
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

/** Builds the synthetic year and times the history queries on it. */
export async function runHistoryBench(options: { days?: number; log?: (line: string) => void } = {}): Promise<HistoryBenchResult> {
  const days = options.days ?? 365;
  const log = options.log ?? (() => {});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hqwatch-history-bench-'));
  const config = largestConfig();
  const rnd = random(20250101);
  const opts = { retentionDays: 400, checkpointIntervalMs: 3_600_000 };
  try {
    const started = performance.now();
    let db = openDatabase(dir);
    let store = createStore(db, opts);
    let d = driver(store, config, YEAR_START);
    d.until((s) => s.hq.state === 'primary-active');
    const quiet: number[] = [];
    const busy: number[] = [];
    const end = YEAR_START + days * DAY;
    const incidents = Math.max(1, Math.round((INCIDENTS * days) / 365));
    const gap = (end - YEAR_START) / incidents;
    for (let n = 0; n < incidents; n++) {
      const at = YEAR_START + n * gap + gap * (0.2 + rnd() * 0.5);
      // Two server outages between incidents, and twice a year a monitor restart (a gap).
      d.jumpTo(at - gap * 0.5);
      playServerOutage(d, rnd);
      d.jumpTo(at - gap * 0.25);
      playServerOutage(d, rnd);
      if (n % 25 === 12) {
        quiet.push(...d.appendMs.quiet);
        busy.push(...d.appendMs.busy);
        const core = d.core();
        const restartAt = d.now() + 10 * MINUTE;
        store.close();
        db = openDatabase(dir);
        store = createStore(db, opts);
        d = driver(store, config, restartAt, core);
        d.settle();
      }
      d.jumpTo(at);
      playIncident(d, rnd, n);
    }
    d.jumpTo(end);
    quiet.push(...d.appendMs.quiet);
    busy.push(...d.appendMs.busy);
    store.close();
    log(`history of ${incidents} incidents written in ${Math.round(performance.now() - started)} ms`);
    writeRollups(dir, config, days, rnd);
    const generateSeconds = Math.round((performance.now() - started) / 100) / 10;
    log(`rollups written; ${generateSeconds} s in all`);

    const file = path.join(dir, 'hqwatch.db');
    const databaseBytes = statSync(file).size;
    const openRuns = time(() => createStore(openDatabase(dir), opts).close(), 5);
    db = openDatabase(dir);
    const breakdown = Object.fromEntries(
      (
        db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as {
          name: string;
          bytes: number;
        }[]
      ).map((r) => [r.name, r.bytes]),
    );
    store = createStore(db, opts);

    const list = store.listIncidents({ limit: 50, offset: 0 }, config);
    const ids = list.incidents.map((i) => i.id);
    const pick = random(7);
    const detailRuns = time(() => JSON.stringify(store.incidentDetail(ids[Math.floor(pick() * ids.length)]!, config)), QUERY_RUNS);
    const listRuns = time(() => JSON.stringify(store.listIncidents({ limit: 50, offset: 0 }, config)), QUERY_RUNS);
    const to = new Date(end).toISOString();
    const from = new Date(end - 30 * DAY).toISOString();
    const availabilityRuns = time(() => JSON.stringify(store.availability(from, to, config)), QUERY_RUNS);
    const detailBytes = ids.map((id) => JSON.stringify(store.incidentDetail(id, config)).length);
    store.close();

    const baseline = rowPerSampleBaseline(dir, config.monitor.interval);
    const perNodeDay = databaseBytes / NODES / days;
    return {
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version },
      date: new Date().toISOString(),
      setup: { days, nodes: NODES, sites: SITES, incidents: list.total, probes: NODES * PROBES.length, generateSeconds, databaseBytes },
      breakdown,
      figures: {
        'incident list (50, JSON)': figure('ms', 20, listRuns),
        'incident detail (JSON)': figure('ms', 50, detailRuns),
        'incident detail size': figure('bytes', null, detailBytes),
        '30-day availability, 500 sites (JSON)': figure('ms', 200, availabilityRuns),
        'database per node per day': figure('bytes', 20_480, [perNodeDay]),
        'baseline: a row per probe sample, per node per day': figure('bytes', null, [baseline]),
        'open with quick_check': figure('ms', null, openRuns),
        'append, quiet round': figure('ms', null, quiet),
        'append, transition round (500 sites)': figure('ms', null, busy),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printResult(r: HistoryBenchResult): void {
  console.log(
    `history benchmark: ${r.setup.days} days, ${r.setup.nodes} nodes (${r.setup.probes} probes), ${r.setup.sites} sites, ${r.setup.incidents} incidents`,
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
  const baseline = r.figures['baseline: a row per probe sample, per node per day']!.median;
  console.log(`row-per-sample baseline / hqwatch: ${(baseline / ours).toFixed(1)}×`);
  console.log('bytes by table/index:', r.breakdown);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { days: { type: 'string' } } });
  printResult(await runHistoryBench({ days: values.days ? Number(values.days) : undefined, log: (line) => console.log(line) }));
}
