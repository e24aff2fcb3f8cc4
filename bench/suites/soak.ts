import { figureOf } from '../lib/results.ts';
import type { Suite } from './suite.ts';

export const soak: Suite = {
  name: 'soak',
  title: 'Soak: largest topology with 1,000 clients and a failover every 5 minutes',
  source: 'bench/server/soak.bench.ts',
  timeoutMinutes: (o) => (o.soakMinutes ?? 0) + 10,
  async run({ soakMinutes, log }) {
    const { runSoakBench, SOAK_GOAL } = await import('../server/soak.bench.ts');
    const f = await runSoakBench({ minutes: soakMinutes ?? 10, log });
    return {
      figures: [
        figureOf('soak.rss.start', 'RSS at start (first minute after warm-up)', 'MB', f.startRuns, '10 s sample'),
        figureOf('soak.rss.end', 'RSS at end (last minute)', 'MB', f.endRuns, '10 s sample'),
        figureOf('soak.growth', 'RSS growth per hour (start to end)', '%/h', [f.growthPercentPerHour], 'soak', {
          goal: { text: `≤ ${SOAK_GOAL.percentPerHour}% over 60 min`, met: f.met },
          note: `least-squares slope ${f.slopeMbPerHour} MB/h over ${f.samples} samples`,
        }),
      ],
      notes: [
        `${f.minutes} minutes, ${f.failovers} failovers; ${f.minutes < 60 ? 'growth per hour extrapolated from a shorter soak' : 'a full hour or more'}.`,
      ],
    };
  },
};
