import type { LiveState, StateDelta } from './types.ts';

/** Events the server emits; every one carries `seq` so a client can detect a gap. */
export interface ServerToClientEvents {
  'state:changed': (delta: StateDelta) => void;
}

/** Commands a client sends. */
export interface ClientToServerEvents {
  /** Asks for the full snapshot, answered through the acknowledgement. */
  'state:sync': (ack: (state: LiveState) => void) => void;
}
