import { baselineOf } from '../lib/results.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from './suite.ts';

export const postmortem: Suite = {
  name: 'postmortem',
  title: 'Postmortem: composing the summary, impact table and site groups of a 500-site incident',
  source: 'bench/shared/postmortem.bench.ts',
  timeoutMinutes: () => 3,
  async run(options) {
    const { runPostmortemBench } = await import('../shared/postmortem.bench.ts');
    const f = runPostmortemBench(options.quick ? 10 : 60);
    return {
      figures: [
        {
          id: 'postmortem.compose',
          name: `composePostmortem, ${f.sites} sites, a failover and a failback`,
          unit: 'ms',
          median: round(f.medianMs),
          p95: round(f.p95Ms),
          runs: [],
          runsOf: `composition (${f.runs} runs; the benchmark reports the summary only)`,
          baseline: baselineOf('JSON.stringify of the same detail (the JSON export)', f.medianMs, f.jsonMedianMs),
          goal: { text: `< ${f.goalMs} ms (median)`, met: f.withinGoal },
        },
      ],
      notes: [`The ${f.sites} sites read as ${f.groups} lines of sites grouped by identical impact.`],
    };
  },
};
