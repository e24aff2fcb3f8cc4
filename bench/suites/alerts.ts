import { baselineOf, figureOf } from '../lib/results.ts';
import { seconds, type Suite } from './suite.ts';

export const alerts: Suite = {
  name: 'alerts',
  title: 'Alert latency: a failover window opening → the webhook receiver gets the signed POST',
  source: 'bench/server/alerts.bench.ts',
  timeoutMinutes: () => 10,
  async run({ quick, log }) {
    const { runAlertsBench, ALERTS_GOAL_MS } = await import('../server/alerts.bench.ts');
    const f = await runAlertsBench({ trials: quick ? 3 : 20, log });
    const setup = `interval ${seconds(f.intervalMs)} × failAfter ${f.failAfter}`;
    return {
      figures: [
        figureOf('alerts.trigger', 'Window opened (the round) → trigger POST received', 'ms', f.trigger, 'trial', {
          baseline: baselineOf(
            `detection: primary stopped → window opened (${setup})`,
            f.summary.trigger.median,
            f.summary.detection.median,
          ),
          goal: { text: `median and p95 ≤ ${ALERTS_GOAL_MS} ms`, met: f.met },
          ...(f.failed > 0 && { note: `${f.failed} waits timed out` }),
        }),
        figureOf('alerts.resolve', 'Incident closed (the round) → resolve POST received', 'ms', f.resolve, 'trial'),
        figureOf('alerts.detection', `Detection: primary stopped → the round that opens the window (${setup})`, 'ms', f.detection, 'trial'),
      ],
      notes: [
        'The real app with its SQLite store: the trigger is committed with the round that opens the window (the outbox, same transaction) and sent after the commit, to a webhook receiver on loopback.',
        'Measured from the round that changed the state (LiveState.at), which is when the change is known; the detection before it is the monitor debounce.',
      ],
    };
  },
};
