import { baselineOf, figureOf, type Figure } from '../lib/results.ts';
import { summarize } from '../lib/stats.ts';
import type { Suite } from './suite.ts';

/** Goals of issue 16: kill -9 → the standby's first round, median. */
const TAKEOVER_GOALS: Record<number, number> = { 2_000: 10_000, 500: 3_000 };
/** The history benchmark's queries compared on both backends. */
const QUERIES = /list|detail|availability/i;

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export const ha: Suite = {
  name: 'ha',
  title: 'Monitor pair: leader takeover after kill -9; history queries on PostgreSQL vs SQLite',
  source: 'bench/server/ha.bench.ts',
  timeoutMinutes: ({ quick }) => (quick ? 15 : 45),
  async run({ quick, log }) {
    const { runTakeoverBench } = await import('../server/ha.bench.ts');
    const { runHistoryBench } = await import('../server/history.bench.ts');
    const takeovers = await runTakeoverBench({ trials: quick ? 3 : 10, log });
    const figures: Figure[] = takeovers.flatMap((t) => [
      figureOf(
        `ha.takeover.${t.intervalMs}.first-round`,
        `kill -9 → the standby's first committed round (interval ${t.intervalMs / 1000} s)`,
        'ms',
        t.firstWriteRuns,
        'trial',
        {
          goal: {
            text: `median < ${TAKEOVER_GOALS[t.intervalMs]! / 1000} s`,
            met: summarize(t.firstWriteRuns).median < TAKEOVER_GOALS[t.intervalMs]!,
          },
        },
      ),
      figureOf(
        `ha.takeover.${t.intervalMs}.lead`,
        `kill -9 → the standby holds the new term (interval ${t.intervalMs / 1000} s)`,
        'ms',
        t.leadRuns,
        'trial',
      ),
    ]);
    // The same synthetic history on both backends, in the same run: 30 days, what the 30-day
    // availability report reads (the PostgreSQL store writes a day's rounds in about as many
    // round trips as SQLite does statements, so a longer history mostly lengthens the setup).
    const days = quick ? 10 : 30;
    log(`  history on SQLite (${days} days)`);
    const sqlite = await runHistoryBench({ days, backend: 'sqlite' });
    log(`  history on PostgreSQL (${days} days)`);
    const postgres = await runHistoryBench({ days, backend: 'postgres' });
    for (const [name, f] of Object.entries(postgres.figures)) {
      const lite = sqlite.figures[name];
      if (!QUERIES.test(name) || f.unit !== 'ms' || !lite) continue;
      figures.push(
        figureOf(`ha.postgres.${slug(name)}`, `PostgreSQL: ${name}`, 'ms', f.runs, 'query', {
          baseline: baselineOf('SQLite, same history, same run', f.median, lite.median),
        }),
      );
    }
    return {
      figures,
      notes: [
        `Takeover: a pair of \`hqwatch serve\` on one PostgreSQL schema against a lab on loopback, default heartbeat (1 s) and lease (5 s); ${takeovers[0]!.leadRuns.length} trials per interval.`,
        `History: ${days} synthetic days of the largest topology (${sqlite.setup.sites} sites) on both backends; SQLite ${(sqlite.setup.databaseBytes / 1024 ** 2).toFixed(1)} MB, PostgreSQL ${(postgres.setup.databaseBytes / 1024 ** 2).toFixed(1)} MB.`,
      ],
    };
  },
};
