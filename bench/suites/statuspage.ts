import { baselineOf, figureOf } from '../lib/results.ts';
import type { Suite } from './suite.ts';

export const statuspage: Suite = {
  name: 'statuspage',
  title:
    'Status page for users: /status/:siteId beside /api/state under load, largest topology at 1 s (hqwatch serve, load from another process)',
  source: 'bench/server/statuspage.bench.ts',
  timeoutMinutes: () => 10,
  async run({ quick, log }) {
    const { runStatusPageBench, STATUSPAGE_GOAL_RPS: goal } = await import('../server/statuspage.bench.ts');
    const f = await runStatusPageBench({ seconds: quick ? 5 : 20, runs: quick ? 1 : 3, log });
    const { site, state, siteFailover } = f.rate;
    const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor((runs.length - 1) / 2)]!;
    const late = (p: typeof site) => `${p.lateRounds} of ${p.rounds} rounds late`;
    return {
      figures: [
        figureOf(
          'statuspage.site.per-cpu-s',
          'GET /status/:siteId: requests answered per CPU-second of the server (one core)',
          'req per CPU-s',
          f.perCpuSecond.site,
          '5 s closed-loop run',
          {
            baseline: baselineOf('Node’s http server alone, same body size', median(f.perCpuSecond.site), median(f.perCpuSecond.bare)),
            goal: { text: `≥ ${goal.toLocaleString('en-US')} per core, no late round at ${goal.toLocaleString('en-US')}/s`, met: f.met },
            note: `at ${goal.toLocaleString('en-US')} req/s offered: ${site.achievedRps} answered a second, ${late(site)}`,
          },
        ),
        figureOf(
          'statuspage.state.per-cpu-s',
          'GET /api/state (500 sites): requests answered per CPU-second of the server',
          'req per CPU-s',
          f.perCpuSecond.state,
          '5 s closed-loop run',
          {
            baseline: baselineOf('GET /status/:siteId', median(f.perCpuSecond.state), median(f.perCpuSecond.site)),
          },
        ),
        figureOf(
          'statuspage.site.304.per-cpu-s',
          'GET /status/:siteId revalidated (If-None-Match → 304): per CPU-second',
          'req per CPU-s',
          f.perCpuSecond.siteRevalidated,
          '5 s closed-loop run',
        ),
        figureOf(
          'statuspage.site.rps',
          'GET /status/:siteId, closed loop (32 connections): requests answered per second',
          'req/s',
          f.maxRps.site,
          '5 s run',
          {
            baseline: baselineOf('GET /api/state, the same load', median(f.maxRps.site), median(f.maxRps.state)),
          },
        ),
        figureOf(
          'statuspage.site.rate',
          `${goal.toLocaleString('en-US')} req/s offered to /status/:siteId: answered per second`,
          'req/s',
          [site.achievedRps],
          'phase',
          {
            note: `latency median ${site.latency.median.toFixed(1)} ms, p99 ${site.latency.p99.toFixed(1)} ms from when due; server CPU ${site.cpuPercent}% of a core; ${late(site)}; ${site.dropped} not sent (5,000 outstanding)`,
          },
        ),
        figureOf(
          'statuspage.state.rate',
          `${goal.toLocaleString('en-US')} req/s offered to /api/state: answered per second`,
          'req/s',
          [state.achievedRps],
          'phase',
          {
            baseline: baselineOf('/status/:siteId at the same rate', state.achievedRps, site.achievedRps),
            note: `latency p99 ${state.latency.p99.toFixed(1)} ms; server CPU ${state.cpuPercent}%; ${late(state)}; ${state.dropped} not sent`,
          },
        ),
        figureOf(
          'statuspage.failover.rate',
          `${goal.toLocaleString('en-US')} req/s offered to /status/:siteId during a failover: answered per second`,
          'req/s',
          [siteFailover.achievedRps],
          'phase',
          {
            note: `latency p99 ${siteFailover.latency.p99.toFixed(1)} ms; server CPU ${siteFailover.cpuPercent}%; ${late(siteFailover)}`,
          },
        ),
      ],
      notes: [
        `The server is \`hqwatch serve\` (the bundled server, SQLite store, \`statusPage.public: true\`) monitoring the largest topology (HQ pair, 20 DVS, 500 sites, 67 probes a second) in its own process: one Node thread, one core. The load comes from a keep-alive client in another process, accepting gzip as browsers do; at a fixed rate, latency counts from when each request was due.`,
        'Requests per CPU-second are the figure that holds on a shared machine: wall-clock rates there depend on what else runs (the baseline, Node’s http server alone, is measured the same way in the same run).',
        `The site page is ${f.pageBytes.html.toLocaleString('en-US')} bytes (${f.pageBytes.gzip.toLocaleString('en-US')} gzipped); monitoring alone took ${f.idle.cpuPercent}% of a core, ${f.idle.lateRounds} of ${f.idle.rounds} rounds late.`,
      ],
    };
  },
};
