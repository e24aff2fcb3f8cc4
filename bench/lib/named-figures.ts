import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { baselineOf, figureOf, type Figure } from './results.ts';

/** A figure as the browser benchmarks return them, keyed by its readable name. */
export interface NamedFigure {
  median: number;
  p95: number;
  runs: number[];
  unit: string;
  goal: number | null;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Builds the client once when its bundle is missing: the browser benchmarks load it. */
export function ensureClientBuilt(log: (line: string) => void): void {
  if (existsSync(`${root}client/dist/index.html`)) return;
  log('client/dist is missing: building the client first');
  execFileSync('npm', ['run', 'build', '-w', '@hqwatch/client'], { cwd: root, stdio: 'inherit' });
}

/**
 * Turns named figures into the suite's figures: each one named in `baselines` is shown against its
 * baseline figure (which is then not listed on its own), and each with a goal says whether it is met.
 */
export function namedFigures(
  prefix: string,
  all: Record<string, NamedFigure>,
  baselines: Record<string, string>,
  runLabel: (f: NamedFigure) => string,
): Figure[] {
  const baselineNames = new Set(Object.values(baselines));
  return Object.entries(all)
    .filter(([name]) => !baselineNames.has(name))
    .map(([name, f]) => {
      const referenceName = baselines[name];
      const reference = referenceName ? all[referenceName] : undefined;
      return figureOf(`${prefix}.${slug(name)}`, name, f.unit, f.runs, runLabel(f), {
        ...(reference && referenceName && { baseline: baselineOf(referenceName.replace(' (baseline)', ''), f.median, reference.median) }),
        ...(f.goal !== null && { goal: { text: `< ${f.goal.toLocaleString('en-US')} ${f.unit}`, met: f.median < f.goal } }),
      });
    });
}
