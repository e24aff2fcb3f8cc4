import { baselineOf, figureOf } from '../lib/results.ts';
import { cpuPerCheckElsewhere, ELSEWHERE } from '../lib/peers.ts';
import type { Suite } from './suite.ts';

export const topology: Suite = {
  name: 'topology',
  title: 'Largest topology at 1 s: HQ pair + 20 DVS, 500 sites, 3 probes per server (lab in its own process)',
  source: 'bench/server/topology.bench.ts',
  timeoutMinutes: () => 10,
  async run({ quick, log }) {
    const { runTopologyBench, TOPOLOGY_GOALS: goals } = await import('../server/topology.bench.ts');
    const f = await runTopologyBench({ seconds: quick ? 10 : 60, log });
    const clients = f.clients.toLocaleString('en-US');
    return {
      figures: [
        figureOf('topology.cpu', 'CPU while monitoring', '% of a core', f.monitoring.cpuRuns, '5 s window', {
          goal: { text: `< ${goals.cpuPercent}% (median)`, met: f.goals.cpuPercent },
          elsewhere: ELSEWHERE.cpu,
        }),
        figureOf('topology.cpu-per-probe', 'CPU per probe, all monitor work included', 'ms', [f.cpuMsPerProbe], 'measurement', {
          elsewhere: cpuPerCheckElsewhere(f.cpuMsPerProbe),
        }),
        figureOf('topology.rss', 'RSS while monitoring', 'MB', f.monitoring.rssRuns, '1 s sample', {
          baseline: baselineOf('Node alone, nothing loaded', f.monitoring.rss.median, f.bareRssMb),
          goal: { text: `< ${goals.rssMb} MB (every sample)`, met: f.goals.rssMb },
          elsewhere: ELSEWHERE.rss,
        }),
        figureOf('topology.rss.bare', 'RSS of Node alone, nothing of hqwatch loaded (floor)', 'MB', [f.bareRssMb], 'measurement'),
        figureOf('topology.clients.cpu', `CPU with ${clients} clients connected`, '% of a core', f.withClients.cpuRuns, '5 s window', {
          baseline: baselineOf('no client', f.withClients.cpu.median, f.monitoring.cpu.median),
        }),
        figureOf('topology.clients.rss', `RSS with ${clients} clients connected`, 'MB', f.withClients.rssRuns, '1 s sample', {
          baseline: baselineOf('no client', f.withClients.rss.median, f.monitoring.rss.median),
          goal: { text: `< ${goals.rssMbWithClients} MB (every sample)`, met: f.goals.rssMbWithClients },
        }),
      ],
      notes: [
        `${f.probesPerRound} probes a round (3 per server, and the witness) every second: ${f.monitoring.rounds} rounds in ${f.seconds} s, ${f.monitoring.lateRounds} late; HQ ${f.hq}, ${f.serving} nodes serving at the end.`,
        'The server is `hqwatch serve` itself in its own process (`node bin/hqwatch.mjs serve`, the bundled server after `npm run build`: real probes, self-health, SQLite store); CPU and RSS are read from /proc; the baseline is a Node process with nothing loaded.',
      ],
    };
  },
};
