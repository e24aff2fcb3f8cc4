import { initialNodeTracker, nextNodeTracker, type NodeTracker } from '@hqwatch/shared';

/**
 * Flap thresholds that keep the witness from ever being shown as flapping: the weighted
 * state-change percentage is at most 100, so it never passes 101. A flapping witness would say
 * nothing useful — the monitor is either blind or it is not.
 */
const NEVER_FLAPPING = { flapEnter: 101, flapLeave: 100 } as const;

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
    /** One round's witness outcomes, observed at `now` (ISO time, the monitor's clock). */
    observe(
      outcomes: { ok: boolean; stalled?: boolean; hostAnswered?: boolean }[],
      late: boolean,
      failAfter: number,
      recoverAfter: number,
      now: string,
    ) {
      configured = outcomes.length > 0;
      if (!configured) return;
      const anyOk = outcomes.some((o) => o.ok || o.hostAnswered === true);
      const inconclusive = !anyOk && (late || outcomes.some((o) => o.stalled));
      const raw = inconclusive ? null : anyOk ? 'serving' : 'down';
      tracker = nextNodeTracker(tracker, raw, now, { failAfter, recoverAfter, ...NEVER_FLAPPING });
    },
    blind: () => configured && tracker.status === 'down',
  };
}
