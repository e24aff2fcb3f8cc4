import { ensureClientBuilt } from '../lib/named-figures.ts';
import { figureOf } from '../lib/results.ts';
import type { Suite } from './suite.ts';

/** Minutes of the wall soak in the suite (`--quick`: a check of the suite itself). */
const MINUTES = { full: 60, quick: 3 };

export const wallSoak: Suite = {
  name: 'wall-soak',
  title: 'Wall soak: /wall open at 4K on the largest topology through the demo failover loop (Chromium)',
  source: 'bench/client/wall-soak.bench.ts',
  timeoutMinutes: (o) => (o.wallSoakMinutes ?? (o.quick ? MINUTES.quick : MINUTES.full)) * 1.5 + 10,
  async run({ quick, wallSoakMinutes, log }) {
    ensureClientBuilt(log);
    const { runWallSoakBench, WALL_SOAK_GOAL } = await import('../client/wall-soak.bench.ts');
    const f = await runWallSoakBench({ minutes: wallSoakMinutes ?? (quick ? MINUTES.quick : MINUTES.full), log });
    return {
      figures: [
        figureOf('wall-soak.heap.start', 'JS heap after GC, start', 'MB', [f.heapMb.start], 'GC sample'),
        figureOf('wall-soak.heap.end', 'JS heap after GC, end', 'MB', [f.heapMb.end], 'GC sample'),
        figureOf('wall-soak.heap.growth', 'JS heap growth per hour after warm-up', '%/h', [f.heapMb.percentPerHour], 'soak', {
          goal: { text: `< ${WALL_SOAK_GOAL.heapPercentPerHour}%/h`, met: f.met },
          note: `Theil–Sen slope over ${f.samples} samples against their mean (least squares: ${f.heapMb.leastSquaresPercentPerHour}%/h)`,
        }),
        figureOf('wall-soak.nodes.growth', 'DOM nodes growth per hour', 'nodes/h', [f.nodes.perHour], 'soak', {
          note: `${f.nodes.start} → ${f.nodes.end} DOM nodes`,
        }),
        figureOf('wall-soak.listeners.growth', 'Event listeners growth per hour', 'listeners/h', [f.listeners.perHour], 'soak', {
          note: `${f.listeners.start} → ${f.listeners.end} listeners`,
        }),
      ],
      notes: [
        `${f.minutes} minutes after a warm-up of half that (${f.warmUpCycles} cycles), ${f.cycles} failover-failback cycles (${f.failoversSeen} failovers shown by the page), the demo at speed 120; a sample after forced GC at each return to primary-active; growth per hour extrapolated from the run.`,
        `The JS heap by kind from the first sample to the last (heap snapshots; changes of 10 KB or more): ${
          f.heapByKind.map((k) => `${k.kind} ${k.kb >= 0 ? '+' : ''}${k.kb} KB`).join(', ') || 'none'
        }.`,
      ],
    };
  },
};
