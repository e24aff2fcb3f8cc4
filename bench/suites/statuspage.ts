import { baselineOf, figureOf } from '../lib/results.ts';
import type { Suite } from './suite.ts';

export const statuspage: Suite = {
  name: 'statuspage',
  title: 'Status page for users: /status/:siteId beside /api/state under load, largest topology at 1 s (hqwatch serve, load from another process)',
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
        figureOf('statuspage.site.rps', 'GET /status/:siteId, closed loop (32 connections): requests answered per second', 'req/s', f.maxRps.site, '5 s run', {
          baseline: baselineOf('GET /api/state, the same load', median(f.maxRps.site), median(f.maxRps.state)),
        }),
        figureOf('statuspage.state.rps', 'GET /api/state (500 sites), closed loop (32 connections): requests answered per second', 'req/s', f.maxRps.state, '5 s run'),
        figureOf('statuspage.site.304.rps', 'GET /status/:siteId revalidated (If-None-Match → 304), closed loop', 'req/s', f.maxRps.siteRevalidated, '5 s run'),
        figureOf('statuspage.site.rate', `${goal.toLocaleString('en-US')} req/s on /status/:siteId: answered per second, monitor rounds on time`, 'req/s', [site.achievedRps], 'phase', {
          goal: { text: `≥ ${goal.toLocaleString('en-US')} req/s on one core with no late round`, met: f.met },
          note: `latency median ${site.latency.median.toFixed(2)} ms, p99 ${site.latency.p99.toFixed(2)} ms; server CPU ${site.cpuPercent}% of a core; ${late(site)}`,
        }),
        figureOf('statuspage.site.rate.p99', `Latency at ${goal.toLocaleString('en-US')} req/s on /status/:siteId (p99, from when each request was due)`, 'ms', [site.latency.p99], 'phase', {
          baseline: baselineOf(`/api/state at the same rate`, site.latency.p99, state.latency.p99),
        }),
        figureOf('statuspage.site.rate.cpu', `Server CPU at ${goal.toLocaleString('en-US')} req/s on /status/:siteId`, '% of a core', [site.cpuPercent], 'phase', {
          baseline: baselineOf('monitoring alone, no request', site.cpuPercent, f.idle.cpuPercent),
        }),
        figureOf('statuspage.state.rate', `${goal.toLocaleString('en-US')} req/s on /api/state: answered per second`, 'req/s', [state.achievedRps], 'phase', {
          note: `latency p99 ${state.latency.p99.toFixed(1)} ms; server CPU ${state.cpuPercent}%; ${late(state)}; ${state.dropped} requests not sent (5,000 outstanding)`,
        }),
        figureOf('statuspage.failover.rate', `${goal.toLocaleString('en-US')} req/s on /status/:siteId during a failover`, 'req/s', [siteFailover.achievedRps], 'phase', {
          note: `latency p99 ${siteFailover.latency.p99.toFixed(2)} ms; ${late(siteFailover)}`,
        }),
      ],
      notes: [
        `The server is \`hqwatch serve\` (the bundled server, SQLite store, \`statusPage.public: true\`) monitoring the largest topology (HQ pair, 20 DVS, 500 sites, 67 probes a second) in its own process: one Node thread, one core. The load comes from a keep-alive client in another process, accepting gzip as browsers do; at a fixed rate, latency counts from when each request was due.`,
        `The site page is ${f.pageBytes.html.toLocaleString('en-US')} bytes (${f.pageBytes.gzip.toLocaleString('en-US')} gzipped); monitoring alone took ${f.idle.cpuPercent}% of a core, ${f.idle.lateRounds} of ${f.idle.rounds} rounds late.`,
      ],
    };
  },
};
