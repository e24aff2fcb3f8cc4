import { baselineOf, figureOf } from '../lib/results.ts';
import { summarize } from '../lib/stats.ts';
import type { Suite } from './suite.ts';

const median = (runs: number[]) => summarize(runs).median;

export const webnodes: Suite = {
  name: 'webnodes',
  title: 'Web nodes on Redis: three nodes × 2,000 dashboards vs one node with 2,000',
  source: 'bench/server/webnodes.bench.ts',
  timeoutMinutes: () => 20,
  async run({ quick, log }) {
    const { runWebnodesBench } = await import('../server/webnodes.bench.ts');
    const r = await runWebnodesBench({ perNode: quick ? 300 : 2_000, changes: quick ? 3 : 10, log });
    const n = r.perNode.toLocaleString('en-US');
    const lone = { text: `one node with ${n} dashboards, same run` };
    return {
      figures: [
        figureOf(
          'webnodes.p99',
          `3 web nodes × ${n} dashboards: p99 delivery of a demo-size change`,
          'ms',
          r.cluster.p99Runs,
          'state change',
          {
            baseline: baselineOf(lone.text, median(r.cluster.p99Runs), median(r.lone.p99Runs)),
            ...(r.cluster.missing > 0 && { note: `${r.cluster.missing} deliveries missing` }),
          },
        ),
        figureOf('webnodes.p50', `3 web nodes × ${n} dashboards: p50 delivery`, 'ms', r.cluster.p50Runs, 'state change', {
          baseline: baselineOf(lone.text, median(r.cluster.p50Runs), median(r.lone.p50Runs)),
        }),
      ],
      notes: [
        `Leader and three web nodes in processes of their own, deltas through Redis (Streams adapter); dashboards in one process per node; connected ${r.cluster.connected} + ${r.lone.connected} (lone). Web node RSS ${r.cluster.rssMb.join(', ')} MB; lone ${r.lone.rssMb.join(', ')} MB.`,
      ],
    };
  },
};
