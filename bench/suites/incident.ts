import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { baselineOf, figureOf, type Figure } from '../lib/results.ts';
import type { Suite } from './suite.ts';

interface IncidentFigure {
  median: number;
  p95: number;
  runs: number[];
  unit: string;
  goal: number | null;
}

/** Figures of the incident benchmark that are baselines of another one, by name. */
const BASELINES: Record<string, string> = {
  'Open a 4 h, 500-site incident (timeline and replay on screen)': 'Incident detail request alone, from the page (baseline)',
  'Scrub step to a new moment, painted (replay request + render)': 'Replay request alone, from the page (baseline)',
  'Scrub step within a fetched stretch, painted': 'Waiting for the next frame, nothing changed (baseline)',
};

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const root = fileURLToPath(new URL('../../', import.meta.url));

export const incident: Suite = {
  name: 'incident',
  title: 'Incident review: open and scrub a 4-hour incident of 500 sites (Chromium, real server on a seeded store)',
  source: 'e2e/bench/incident.bench.ts',
  timeoutMinutes: () => 20,
  async run({ quick, log }) {
    if (!existsSync(`${root}client/dist/index.html`)) {
      log('client/dist is missing: building the client first');
      execFileSync('npm', ['run', 'build', '-w', '@hqwatch/client'], { cwd: root, stdio: 'inherit' });
    }
    const { runIncidentBench } = await import('../../e2e/bench/incident.bench.ts');
    const result = await runIncidentBench({ quick, log });
    const all = result.figures as Record<string, IncidentFigure>;
    const baselineNames = new Set(Object.values(BASELINES));
    const figures: Figure[] = Object.entries(all)
      .filter(([name]) => !baselineNames.has(name))
      .map(([name, f]) => {
        const reference = BASELINES[name] ? all[BASELINES[name]] : undefined;
        return figureOf(`incident.${slug(name)}`, name, f.unit, f.runs, 'step', {
          ...(reference && { baseline: baselineOf(BASELINES[name].replace(' (baseline)', ''), f.median, reference.median) }),
          ...(f.goal !== null && { goal: { text: `< ${f.goal.toLocaleString('en-US')} ${f.unit}`, met: f.median < f.goal } }),
        });
      });
    const s = result.setup;
    return {
      figures,
      notes: [
        `${s.hours} h incident, ${s.sites} sites, ${s.events.toLocaleString('en-US')} stored events (${s.timelineEntries.toLocaleString('en-US')} timeline entries), seeded in ${s.seedSeconds} s; the real server (createApp) on 127.0.0.1, Debian Chromium, headless.`,
      ],
    };
  },
};
