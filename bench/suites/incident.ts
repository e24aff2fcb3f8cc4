import { ensureClientBuilt, namedFigures, type NamedFigure } from '../lib/named-figures.ts';
import type { Suite } from './suite.ts';

/** Figures of the incident benchmark that are baselines of another one, by name. */
const BASELINES: Record<string, string> = {
  'Open a 4 h, 500-site incident (timeline and replay on screen)': 'Incident detail request alone, from the page (baseline)',
  'Scrub step to a new moment, painted (replay request + render)': 'Replay request alone, from the page (baseline)',
  'Scrub step within a fetched stretch, painted': 'Waiting for the next frame, nothing changed (baseline)',
};

export const incident: Suite = {
  name: 'incident',
  title: 'Incident review: open and scrub a 4-hour incident of 500 sites (Chromium, real server on a seeded store)',
  source: 'bench/client/incident.bench.ts',
  timeoutMinutes: () => 20,
  async run({ quick, log }) {
    ensureClientBuilt(log);
    const { runIncidentBench } = await import('../client/incident.bench.ts');
    const result = await runIncidentBench({ quick, log });
    const s = result.setup;
    return {
      figures: namedFigures('incident', result.figures as Record<string, NamedFigure>, BASELINES, () => 'step'),
      notes: [
        `${s.hours} h incident, ${s.sites} sites, ${s.events.toLocaleString('en-US')} stored events (${s.timelineEntries.toLocaleString('en-US')} timeline entries), seeded in ${s.seedSeconds} s; the real server (createApp) on 127.0.0.1, Debian Chromium, headless.`,
      ],
    };
  },
};
