import { applyWireDelta, type LiveState, type ReasonRenderer, type WireDelta } from '@hqwatch/shared';
import { wordReason } from './reasons.ts';

/** What to do with a `state:changed` delta given the state held so far. */
export type SyncStep =
  | { kind: 'apply'; state: LiveState }
  /** A seq was skipped (or no snapshot is held yet): ask `state:sync` for the full state. */
  | { kind: 'resync' }
  /** Already covered by the held state (duplicate, or sent before the snapshot was taken). */
  | { kind: 'ignore' };

/**
 * Decides how a delta joins the held state. Deltas must follow one another (`seq = last + 1`);
 * anything newer than that means updates were lost, and only a snapshot can repair them. Reasons
 * are worded by `render` (the dashboard's memoized renderer).
 */
export function stepDelta(held: LiveState | null, delta: WireDelta, render: ReasonRenderer = wordReason): SyncStep {
  if (!held) return { kind: 'resync' };
  if (delta.seq <= held.seq) return { kind: 'ignore' };
  if (delta.seq !== held.seq + 1) return { kind: 'resync' };
  return { kind: 'apply', state: applyWireDelta(held, delta, render) };
}
