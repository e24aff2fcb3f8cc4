import type { LiveState, StateDelta } from '@hqwatch/shared';

/** The live state as the monitor keeps it: read it now, or hear about each change. */
export interface LiveSource {
  current(): LiveState;
  subscribe(listener: (delta: StateDelta) => void): () => void;
}
