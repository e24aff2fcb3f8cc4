import { applyDelta, encodeDelta, encodeState, type LiveState, type StateDelta, type WireDelta, type WireState } from '@hqwatch/shared';
import type { LiveSource } from '../monitor/live-source.ts';
import { serializeOnce } from './parser.ts';

/** The socket's payloads, each built once per seq whatever the number of dashboards. */
export interface WireFeed {
  /** The wire delta of a change the source announced: encoded once, broadcast to every dashboard. */
  delta(change: StateDelta): WireDelta;
  /** The full state of the current seq for `state:sync`: encoded and serialised once, shared by every answer. */
  snapshot(): WireState;
}

/**
 * Keeps the state the last delta led to, so each change is encoded against exactly what the
 * dashboards hold, and the snapshot of the current seq.
 */
export function createWireFeed(source: LiveSource): WireFeed {
  let held: LiveState = source.current();
  let cached: { state: LiveState; wire: WireState } | null = null;
  return {
    delta(change) {
      const current = source.current();
      // The source calls its listeners with the state already current; otherwise rebuild it.
      const next = current.seq === change.seq ? current : applyDelta(held, change);
      const wire = encodeDelta(held, next, change);
      held = next;
      return wire;
    },
    snapshot() {
      const state = source.current();
      if (cached?.state !== state) cached = { state, wire: serializeOnce(encodeState(state)) };
      return cached.wire;
    },
  };
}
