import { baselineOf, figureOf } from '../lib/results.ts';
import { cpuPerCheckElsewhere, ELSEWHERE } from '../lib/peers.ts';
import type { Suite } from './suite.ts';

export const topology: Suite = {
  name: 'topology',
  title: 'Largest topology at 1 s: HQ pair + 20 DVS, 500 sites, 3 probes per server (lab in its own process)',
  source: 'server/bench/topology.bench.ts',
  timeoutMinutes: () => 10,
  async run({ quick, log }) {
    const { runTopologyBench, TOPOLOGY_GOALS: goals } = await import('../../server/bench/topology.bench.ts');
    const f = await runTopologyBench({ seconds: quick ? 10 : 60, log });
    const clients = f.clients.toLocaleString('en-US');
    return {
      figures: [
        figureOf('topology.cpu', 'CPU while monitoring', '% of a core', f.monitoring.cpuRuns, '5 s window', {
          baseline: baselineOf('same process, loaded but idle', f.monitoring.cpu.median, f.loaded.cpu.median),
          goal: { text: `< ${goals.cpuPercent}% (median)`, met: f.goals.cpuPercent },
          elsewhere: ELSEWHERE.cpu,
        }),
        figureOf('topology.cpu-per-probe', 'CPU per probe, all monitor work included', 'ms', [f.cpuMsPerProbe], 'measurement', {
          elsewhere: cpuPerCheckElsewhere(f.cpuMsPerProbe),
        }),
        figureOf('topology.rss', 'RSS while monitoring', 'MB', f.monitoring.rssRuns, '1 s sample', {
          baseline: baselineOf('same process, loaded but idle', f.monitoring.rss.median, f.loaded.rss.median),
          goal: { text: `< ${goals.rssMb} MB (every sample)`, met: f.goals.rssMb },
          elsewhere: ELSEWHERE.rss,
        }),
        figureOf('topology.rss.bare', 'RSS of Node + tsx alone, nothing of hqwatch loaded (floor)', 'MB', [f.bareRssMb], 'measurement'),
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
        'The server is what `hqwatch serve` runs (real probes, self-health, SQLite store), started through tsx like the CLI; the baseline is the same process with everything loaded and nothing running.',
      ],
    };
  },
};
