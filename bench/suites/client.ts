import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { baselineOf, figureOf, type Figure } from '../lib/results.ts';
import type { Suite } from './suite.ts';

interface ClientFigure {
  median: number;
  p95: number;
  runs: number[];
  unit: string;
  goal: number | null;
}

/** Figures of the client benchmark that are baselines of another one, by name. */
const BASELINES: Record<string, string> = {
  'Time to first state': 'DOMContentLoaded (baseline)',
  'Longest main-thread task, 500 sites, 1 change/s': 'Longest main-thread task, idle page (baseline)',
};

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const root = fileURLToPath(new URL('../../', import.meta.url));

export const client: Suite = {
  name: 'client',
  title: 'Client: bundle size, time to first state, longest main-thread task with 500 sites changing every second (Chromium)',
  source: 'e2e/bench/client.bench.ts',
  timeoutMinutes: () => 20,
  async run({ quick, log }) {
    if (!existsSync(`${root}client/dist/index.html`)) {
      log('client/dist is missing: building the client first');
      execFileSync('npm', ['run', 'build', '-w', '@hqwatch/client'], { cwd: root, stdio: 'inherit' });
    }
    const { runClientBench } = await import('../../e2e/bench/client.bench.ts');
    const result = await runClientBench({ quick, log });
    const all = result.figures as Record<string, ClientFigure>;
    const baselineNames = new Set(Object.values(BASELINES));
    const figures: Figure[] = Object.entries(all)
      .filter(([name]) => !baselineNames.has(name))
      .map(([name, f]) => {
        const reference = BASELINES[name] ? all[BASELINES[name]] : undefined;
        return figureOf(`client.${slug(name)}`, name, f.unit, f.runs, f.runs.length > 1 ? 'page load' : 'measurement', {
          ...(reference && { baseline: baselineOf(BASELINES[name].replace(' (baseline)', ''), f.median, reference.median) }),
          ...(f.goal !== null && { goal: { text: `< ${f.goal.toLocaleString('en-US')} ${f.unit}`, met: f.median < f.goal } }),
        });
      });
    return {
      figures,
      notes: [
        'A stand-in server on 127.0.0.1 serves client/dist and plays synthetic 500-site states, so the figures depend on the client alone; Debian Chromium, headless.',
      ],
    };
  },
};
