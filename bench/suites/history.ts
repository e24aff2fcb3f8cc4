import { baselineOf, figureOf, type Figure } from '../lib/results.ts';
import { dbGrowthElsewhere } from '../lib/peers.ts';
import type { Suite } from './suite.ts';

const BASELINE = 'baseline: a row per probe sample, per node per day';
const PER_NODE_DAY = 'database per node per day';

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export const history: Suite = {
  name: 'history',
  title: 'History: one year of synthetic history for the largest topology (50 incidents)',
  source: 'bench/server/history.bench.ts',
  timeoutMinutes: () => 30,
  async run({ quick, log }) {
    const { runHistoryBench } = await import('../server/history.bench.ts');
    const r = await runHistoryBench({ days: quick ? 30 : 365, log });
    const baseline = r.figures[BASELINE];
    const figures: Figure[] = Object.entries(r.figures)
      .filter(([name]) => name !== BASELINE)
      .map(([name, f]) =>
        figureOf(
          `history.${slug(name)}`,
          name,
          f.unit,
          f.runs,
          name.includes('append') ? 'round' : f.unit === 'ms' ? 'query' : f.runs.length > 1 ? 'incident' : 'measurement',
          {
            ...(f.goal !== null && { goal: { text: `< ${f.goal.toLocaleString('en-US')} ${f.unit}`, met: f.median < f.goal } }),
            ...(name === PER_NODE_DAY && baseline && { baseline: baselineOf('a row per probe sample', f.median, baseline.median) }),
            ...(name === PER_NODE_DAY && { elsewhere: dbGrowthElsewhere(f.median) }),
          },
        ),
      );
    return {
      figures,
      notes: [
        `${r.setup.days} days, ${r.setup.nodes} nodes (${r.setup.probes} probes), ${r.setup.sites} sites, ${r.setup.incidents} incidents; database ${(r.setup.databaseBytes / 1024 ** 2).toFixed(1)} MB, generated in ${r.setup.generateSeconds} s.`,
      ],
    };
  },
};
