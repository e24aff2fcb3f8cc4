import { baselineOf, figureOf } from '../lib/results.ts';
import { ELSEWHERE } from '../lib/peers.ts';
import { seconds, type Suite } from './suite.ts';

export const detection: Suite = {
  name: 'detection',
  title: 'Detection latency: primary stopped in the lab → a socket.io client receives failing-over',
  source: 'bench/server/detection.bench.ts',
  timeoutMinutes: () => 20,
  async run({ quick, log }) {
    const { runDetectionBench } = await import('../server/detection.bench.ts');
    const sets = await runDetectionBench({ trials: quick ? 3 : 20, log });
    const figures = sets.map((f) =>
      figureOf(
        `detection.${f.name}`,
        `interval ${seconds(f.intervalMs)} × failAfter ${f.failAfter} (timeout ${seconds(f.timeoutMs)})${f.name === 'defaults' ? ', the defaults' : ''}`,
        'ms',
        f.runs,
        'trial',
        {
          baseline: baselineOf('ideal: interval × failAfter', f.latency.median, f.idealMs),
          goal: { text: `median within 10% of ${f.idealMs} ms`, met: f.met },
          elsewhere: f.name === 'fast' ? ELSEWHERE.detectionFast : ELSEWHERE.detectionDefault,
          ...(f.failed > 0 && { note: `${f.failed} trials timed out` }),
        },
      ),
    );
    return {
      figures,
      notes: [
        'Each trial stops the primary at a random point between two rounds; the two sets run side by side, each with its own lab and server.',
        'Flap detection is off in this benchmark only: trials follow each other faster than any real primary fails.',
      ],
    };
  },
};
