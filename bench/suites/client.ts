import { ensureClientBuilt, namedFigures, type NamedFigure } from '../lib/named-figures.ts';
import type { Suite } from './suite.ts';

/** Figures of the client benchmark that are baselines of another one, by name. */
const BASELINES: Record<string, string> = {
  'Time to first state': 'DOMContentLoaded (baseline)',
  'Time to first state, demo (12 sites)': 'DOMContentLoaded, demo (baseline)',
  'Longest main-thread task, 500 sites, 1 change/s': 'Longest main-thread task, idle page (baseline)',
  'Wall: longest main-thread task, 500 sites changing every second, 1080p': 'Wall: longest main-thread task, idle, 4K (baseline)',
  'Wall: longest main-thread task, 500 sites changing every second, 4K': 'Wall: longest main-thread task, idle, 4K (baseline)',
  'Wall: longest main-thread task, 4K, failover window opening and closing every 5 s':
    'Wall: longest main-thread task, idle, 4K (baseline)',
};

export const client: Suite = {
  name: 'client',
  title:
    'Client: bundle size, time to first state, longest main-thread task with 500 sites changing every second, dashboard and wall (Chromium)',
  source: 'bench/client/client.bench.ts',
  timeoutMinutes: () => 20,
  async run({ quick, log }) {
    ensureClientBuilt(log);
    const { runClientBench } = await import('../client/client.bench.ts');
    const result = await runClientBench({ quick, log });
    return {
      figures: namedFigures('client', result.figures as Record<string, NamedFigure>, BASELINES, (f) =>
        f.runs.length > 1 ? 'page load' : 'measurement',
      ),
      notes: [
        'Longest tasks are the steady state: measured after the first three changes after loading (the first run of code, styles and glyphs), whose own longest task is reported beside them.',
        'A stand-in server on 127.0.0.1 serves client/dist and plays synthetic states (500 sites; 12, as in the demo, for the demo first state), so the figures depend on the client alone; Debian Chromium, headless.',
      ],
    };
  },
};
