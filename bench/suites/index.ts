/** Every benchmark of `npm run bench`, in the order they run and appear in the results. */
import { alerts } from './alerts.ts';
import { client } from './client.ts';
import { detection } from './detection.ts';
import { fanout } from './fanout.ts';
import { history } from './history.ts';
import { impact } from './impact.ts';
import { incident } from './incident.ts';
import { postmortem } from './postmortem.ts';
import { probes } from './probes.ts';
import { soak } from './soak.ts';
import { statuspage } from './statuspage.ts';
import { topology } from './topology.ts';
import type { Suite } from './suite.ts';

export const SUITES: Suite[] = [
  detection,
  alerts,
  fanout,
  probes,
  topology,
  statuspage,
  impact,
  postmortem,
  history,
  client,
  incident,
  soak,
];

export function suiteNamed(name: string): Suite | undefined {
  return SUITES.find((s) => s.name === name);
}
