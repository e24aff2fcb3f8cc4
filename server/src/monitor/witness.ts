import { initialNodeTracker, nextNodeTracker, type NodeTracker } from '@hqwatch/shared';

/**
 * The monitor's view of its own network through the witness probes, debounced like a node: blind
 * once every witness probe has failed for `failAfter` rounds. A witness that refuses still shows
 * the network works (its host answered), so only silence counts as failing. Without witness
 * probes it never is blind.
 */
export function createWitness() {
  let tracker: NodeTracker = initialNodeTracker(new Date(0).toISOString());
  let configured = false;
  return {
    observe(
      outcomes: { ok: boolean; stalled?: boolean; hostAnswered?: boolean }[],
      late: boolean,
      failAfter: number,
      recoverAfter: number,
    ) {
      configured = outcomes.length > 0;
      if (!configured) return;
      const anyOk = outcomes.some((o) => o.ok || o.hostAnswered === true);
      const inconclusive = !anyOk && (late || outcomes.some((o) => o.stalled));
      const raw = inconclusive ? null : anyOk ? 'serving' : 'down';
      tracker = nextNodeTracker(tracker, raw, new Date().toISOString(), { failAfter, recoverAfter, flapEnter: 101, flapLeave: 100 });
    },
    blind: () => configured && tracker.status === 'down',
  };
}
