/**
 * Benchmark of the impact engine: how long recomputing the impact of 500 sites takes per monitor
 * round (goal: under 1 ms), against the cost of diffing the resulting LiveState, and proof that a
 * round where nothing changed puts no site in the delta.
 *
 * Run: npx tsx bench/shared/impact.bench.ts
 */
import { CONTRACT_VERSION, computeImpact, diffState, validateConfig } from '@hqwatch/shared';
import type { HqState, HqView, HqwatchConfig, LiveState, NodeHealth } from '@hqwatch/shared';

/** shared/ compiles without Node or DOM typings; these are the only host APIs used here. */
const host = globalThis as unknown as {
  performance: { now(): number };
  console: { log(...args: unknown[]): void };
  process?: { argv: string[] };
};

const SITES = 500;
const SERVERS = 50;
const GOAL_MS = 1;

export interface ImpactBenchFigures {
  sites: number;
  servers: number;
  rounds: number;
  /** computeImpact, per round. */
  medianMs: number;
  p95Ms: number;
  goalMs: number;
  withinGoal: boolean;
  /** Baseline in the same run: diffState of two LiveStates of that size, which every round also pays. */
  diffMedianMs: number;
  /** Sites in the delta of a round where nothing changed (expected 0). */
  unchangedRoundDeltaSites: number;
  /** Sites in the delta when one distributed server goes down (only its dependants). */
  oneServerDownDeltaSites: number;
}

function benchConfig(): HqwatchConfig {
  const probes = [{ kind: 'sip', port: 5441 }];
  const servers = Array.from({ length: SERVERS }, (_, i) => ({
    id: `dvs-${i}`,
    name: `DVS ${i}`,
    address: `10.9.${i}.5`,
    drs: i % 2 === 0,
    probes,
  }));
  const sites = Array.from({ length: SITES }, (_, i) => {
    const home = i % 5 === 0 ? 'hq' : `dvs-${i % SERVERS}`;
    const drsServer = `dvs-${(i * 2) % SERVERS}`;
    return {
      id: `site-${i}`,
      name: `Site ${i}`,
      users: home,
      voicemail: i % 3 === 0 ? 'hq' : home,
      drs: i % 4 === 0 ? ['hq'] : [drsServer, 'hq'],
      userCount: 10 + (i % 90),
    };
  });
  const result = validateConfig({
    headquarters: {
      primary: { name: 'HQ primary', address: '10.1.0.10', probes },
      secondary: { name: 'HQ secondary', address: '10.2.0.10', probes },
    },
    servers,
    drs: { enabled: true },
    sites,
  });
  if (!result.ok) throw new Error(`bench config refused: ${JSON.stringify(result.errors)}`);
  return result.config;
}

function hqView(state: HqState, elapsedMs: number): HqView {
  const window =
    state === 'failing-over'
      ? {
          kind: 'failover' as const,
          startedAt: '2025-03-01T10:00:00.000Z',
          elapsedMs,
          expectedMinMs: 300_000,
          expectedMaxMs: 1_200_000,
          overrun: false,
        }
      : null;
  return {
    state,
    since: '2025-03-01T10:00:00.000Z',
    activeAddress: null,
    window,
    targetAddress: null,
    cause: null,
    standby: 'ready',
    standbyId: null,
  };
}

function nodesOf(config: HqwatchConfig, down: string[] = []): Record<string, NodeHealth> {
  const ids = ['primary', 'secondary', ...config.servers.map((s) => s.id)];
  return Object.fromEntries(ids.map((id) => [id, { status: down.includes(id) ? 'down' : 'serving', flapping: false }]));
}

function liveState(config: HqwatchConfig, seq: number, state: HqState, nodes: Record<string, NodeHealth>): LiveState {
  const hq = hqView(state, seq * 2_000);
  const impact = computeImpact({ config, hq, nodes });
  const at = new Date(Date.UTC(2025, 2, 1, 10, 0, seq * 2)).toISOString();
  return {
    contractVersion: CONTRACT_VERSION,
    seq,
    at,
    hq,
    nodes: [],
    sites: impact.sites,
    incident: null,
    monitor: { healthy: true, intervalMs: 2_000 },
    impact: impact.summary,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** Times `rounds` calls of `fn`, after a warm-up so the figures describe the steady state. */
function time(rounds: number, fn: (round: number) => void): number[] {
  for (let i = 0; i < 200; i++) fn(i);
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = host.performance.now();
    fn(i);
    samples.push(host.performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

/** Runs the impact benchmark and returns its figures. */
export function runImpactBench(rounds = 2_000): ImpactBenchFigures {
  const config = benchConfig();
  // Rounds alternate between a calm system and a failover with a server down, as a live monitor sees both.
  const scenarios = [
    { state: 'primary-active' as const, nodes: nodesOf(config) },
    { state: 'failing-over' as const, nodes: nodesOf(config, ['dvs-7']) },
    { state: 'secondary-active' as const, nodes: nodesOf(config, ['dvs-3', 'dvs-4']) },
  ];
  const impactSamples = time(rounds, (i) => {
    const { state, nodes } = scenarios[i % scenarios.length];
    computeImpact({ config, hq: hqView(state, i * 2_000), nodes });
  });
  const a = liveState(config, 1, 'failing-over', scenarios[1].nodes);
  const b = liveState(config, 2, 'failing-over', scenarios[1].nodes);
  const diffSamples = time(rounds, () => diffState(a, b));
  const oneDown = liveState(config, 3, 'failing-over', nodesOf(config, ['dvs-7', 'dvs-8']));
  const medianMs = percentile(impactSamples, 0.5);
  return {
    sites: SITES,
    servers: SERVERS,
    rounds,
    medianMs,
    p95Ms: percentile(impactSamples, 0.95),
    goalMs: GOAL_MS,
    withinGoal: medianMs < GOAL_MS,
    diffMedianMs: percentile(diffSamples, 0.5),
    unchangedRoundDeltaSites: diffState(a, b).sites?.length ?? 0,
    oneServerDownDeltaSites: diffState(b, oneDown).sites?.length ?? 0,
  };
}

function report(f: ImpactBenchFigures): void {
  const ms = (n: number) => `${n.toFixed(3)} ms`;
  host.console.log(`impact of ${f.sites} sites on ${f.servers} distributed servers, ${f.rounds} rounds`);
  host.console.log(
    `  computeImpact   median ${ms(f.medianMs)}  p95 ${ms(f.p95Ms)}  (goal < ${ms(f.goalMs)}: ${f.withinGoal ? 'met' : 'MISSED'})`,
  );
  host.console.log(`  diffState       median ${ms(f.diffMedianMs)}  (baseline: the delta every round computes anyway)`);
  host.console.log(`  unchanged round → ${f.unchangedRoundDeltaSites} sites in the delta`);
  host.console.log(`  one more DVS down → ${f.oneServerDownDeltaSites} sites in the delta`);
}

// Prints only when run directly, so the benchmark suite can import runImpactBench.
const entry = host.process?.argv[1];
const self = (import.meta as unknown as { url: string }).url;
if (entry && decodeURIComponent(self) === `file://${entry}`) report(runImpactBench());
