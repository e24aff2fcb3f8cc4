import { baselineOf } from '../lib/results.ts';
import { round } from '../lib/stats.ts';
import type { Suite } from './suite.ts';

export const impact: Suite = {
  name: 'impact',
  title: 'Impact engine: per-site, per-service impact of 500 sites per round',
  source: 'bench/shared/impact.bench.ts',
  timeoutMinutes: () => 5,
  async run() {
    const { runImpactBench } = await import('../shared/impact.bench.ts');
    const f = runImpactBench();
    return {
      figures: [
        {
          id: 'impact.compute',
          name: `computeImpact, ${f.sites} sites on ${f.servers} servers`,
          unit: 'ms',
          median: round(f.medianMs),
          p95: round(f.p95Ms),
          runs: [],
          runsOf: `round (${f.rounds} rounds; the benchmark reports the summary only)`,
          baseline: baselineOf('diffState of the resulting LiveState, paid every round', f.medianMs, f.diffMedianMs),
          goal: { text: `< ${f.goalMs} ms (median)`, met: f.withinGoal },
        },
      ],
      notes: [
        `A round where nothing changed puts ${f.unchangedRoundDeltaSites} sites in the delta; one more DVS down puts ${f.oneServerDownDeltaSites}.`,
      ],
    };
  },
};
