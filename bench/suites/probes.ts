import { figureOf, type Figure } from '../lib/results.ts';
import { ELSEWHERE } from '../lib/peers.ts';
import type { Suite } from './suite.ts';

const GOAL_PER_CORE = 10_000;
const UNITS: Record<string, string> = { 'probes/s': 'probes/s', 'cpu/wall': 'CPU ÷ wall', 'probes/cpu-s': 'probes per CPU-s' };

export const probes: Suite = {
  name: 'probes',
  title: 'Probe capacity: TCP, SIP and HTTP probes per second against loopback listeners in another process',
  source: 'bench/server/probes.bench.ts',
  timeoutMinutes: () => 10,
  async run() {
    const { runProbeBench } = await import('../server/probes.bench.ts');
    const result = await runProbeBench();
    const figures: Figure[] = Object.entries(result).map(([name, f]) => {
      const [kind, measure] = name.split(' ') as [string, string];
      const perCore = measure === 'probes/cpu-s';
      return figureOf(`probes.${kind}.${measure.replace('/', '-')}`, name, UNITS[measure] ?? measure, f.runs, 'run', {
        ...(perCore &&
          kind !== 'http' && { goal: { text: `≥ ${GOAL_PER_CORE.toLocaleString('en-US')} per core`, met: f.median >= GOAL_PER_CORE } }),
        ...(perCore && { elsewhere: ELSEWHERE.probeRate }),
      });
    });
    return { figures, notes: ['Probes per CPU-second is probes per second on one core; the goal applies to TCP and SIP.'] };
  },
};
