/**
 * The shape of `bench-results.json`: the machine, the date, and every figure with its median, p95,
 * the runs it came from, its in-run baseline, its goal and whether the goal is met.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { round, summarize } from './stats.ts';
import type { Machine } from './machine.ts';

export interface Figure {
  /** Stable key, e.g. `fanout.5000.p99`. */
  id: string;
  name: string;
  unit: string;
  median: number;
  p95: number;
  min?: number;
  max?: number;
  /** The samples the median and p95 come from (empty when the benchmark only reports its summary). */
  runs: number[];
  /** What one run is: "trial", "state change", "5 s window"… */
  runsOf: string;
  /** The same quantity measured for a reference in the same run; ratio = median ÷ baseline. */
  baseline?: { name: string; median: number; ratio: number };
  goal?: { text: string; met: boolean };
  /** A comparable figure measured for another product on a machine of the same kind. */
  elsewhere?: string;
  note?: string;
}

export interface BenchRecord {
  name: string;
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped. */
  reason?: string;
  date: string;
  seconds: number;
  /** 1-minute load average before and after: how busy the shared machine was around this benchmark. */
  load: { before: number; after: number };
  machine: string;
  figures: Figure[];
  notes: string[];
}

/** A record a later run replaced, kept so the change is visible: its figures' medians only. */
export interface HistoryEntry {
  name: string;
  date: string;
  machine: string;
  load: BenchRecord['load'];
  figures: { id: string; name: string; unit: string; median: number; baselineRatio?: number; met?: boolean }[];
}

export interface ResultsFile {
  machine: Machine;
  date: string;
  command: string;
  benches: BenchRecord[];
  /** Earlier records of each benchmark, newest first (at most {@link HISTORY_PER_BENCH} each). */
  history?: HistoryEntry[];
}

/** Earlier runs kept per benchmark. */
export const HISTORY_PER_BENCH = 5;

function historyOf(record: BenchRecord): HistoryEntry {
  return {
    name: record.name,
    date: record.date,
    machine: record.machine,
    load: record.load,
    figures: record.figures.map((f) => ({
      id: f.id,
      name: f.name,
      unit: f.unit,
      median: f.median,
      ...(f.baseline && { baselineRatio: f.baseline.ratio }),
      ...(f.goal && { met: f.goal.met }),
    })),
  };
}

/**
 * The median of figure `id` in the newest replaced record of bench `name` from a day before
 * `before` (runs of the same day are re-runs of the same work), when one had it.
 */
export function previousFigure(
  results: ResultsFile,
  name: string,
  id: string,
  before: string,
): (HistoryEntry['figures'][number] & { date: string }) | null {
  for (const entry of results.history ?? []) {
    if (entry.name !== name || entry.date.slice(0, 10) >= before.slice(0, 10)) continue;
    const figure = entry.figures.find((f) => f.id === id);
    if (figure) return { ...figure, date: entry.date };
  }
  return null;
}

/** A figure from raw runs; `extra` adds the baseline, goal, note. */
export function figureOf(
  id: string,
  name: string,
  unit: string,
  runs: readonly number[],
  runsOf: string,
  extra: Partial<Pick<Figure, 'baseline' | 'goal' | 'note' | 'elsewhere'>> = {},
): Figure {
  const s = summarize(runs);
  return {
    id,
    name,
    unit,
    median: round(s.median),
    p95: round(s.p95),
    min: round(s.min),
    max: round(s.max),
    runs: runs.map((r) => round(r)),
    runsOf,
    ...extra,
  };
}

/** A baseline with its ratio, rounded for reading. */
export function baselineOf(name: string, ours: number, reference: number): NonNullable<Figure['baseline']> {
  return { name, median: reference, ratio: round(ours / reference) };
}

export function loadResults(file: string): ResultsFile | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ResultsFile;
  } catch {
    return null;
  }
}

/**
 * Writes `next`, keeping the records of benchmarks this run did not touch, so that `--only` updates
 * part of the file without losing the rest. Records keep a fixed order: the suite's. A record this
 * run replaces goes to `history` (the medians of its figures), so the change stays visible.
 */
export function saveResults(file: string, next: ResultsFile, order: readonly string[]): ResultsFile {
  const previous = loadResults(file);
  const byName = new Map((previous?.benches ?? []).map((b) => [b.name, b]));
  const replaced: HistoryEntry[] = [];
  for (const b of next.benches) {
    const old = byName.get(b.name);
    if (old?.status === 'ok' && b.status === 'ok') replaced.push(historyOf(old));
    byName.set(b.name, b);
  }
  const kept = new Map<string, number>();
  const history = [...replaced, ...(previous?.history ?? [])].filter((entry) => {
    const count = (kept.get(entry.name) ?? 0) + 1;
    kept.set(entry.name, count);
    return count <= HISTORY_PER_BENCH;
  });
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const merged: ResultsFile = { ...next, benches: [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name)), history };
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
