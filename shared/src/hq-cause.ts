/** Why HQ is down, in words: the HQ card, the incident review, alerts and the exports say it alike. */
import type { HqDownCause } from './types.ts';

/** Why HQ is down, in a few words. */
export const HQ_DOWN_CAUSE: Record<HqDownCause, string> = {
  'both-down': 'neither HQ server answers',
  'target-down': 'the server HQ would move to does not answer',
  'target-unknown': 'the server HQ would move to has not been assessed yet',
  'direction-unknown': 'no failover or failback is known to be under way',
};

/**
 * Why HQ is down, naming the server HQ would move to (the standby, by its name and node id): "HQ
 * secondary does not answer: no failover possible". Falls back to {@link HQ_DOWN_CAUSE} without
 * a standby.
 */
export function hqDownCauseText(cause: HqDownCause, standbyName: string | null, standbyId: string | null): string {
  const move = standbyId === 'secondary' ? 'failover' : standbyId === 'primary' ? 'failback' : null;
  if (!standbyName || !move) return HQ_DOWN_CAUSE[cause];
  if (cause === 'target-down') return `${standbyName} does not answer: no ${move} possible`;
  if (cause === 'target-unknown') return `${standbyName} has not been assessed yet: whether a ${move} can complete is not known`;
  if (cause === 'both-down') return `neither HQ server answers: no ${move} possible`;
  return HQ_DOWN_CAUSE[cause];
}
