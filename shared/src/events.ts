import type { WireDelta, WireState } from './wire-types.ts';

/** Events the server emits; every one carries `seq` so a client can detect a gap. */
export interface ServerToClientEvents {
  /** What changed since the previous seq, in the compact wire form (`wire-types.ts`). */
  'state:changed': (delta: WireDelta) => void;
}

/** Commands a client sends. */
export interface ClientToServerEvents {
  /** Asks for the full state in the compact wire form, answered through the acknowledgement. */
  'state:sync': (ack: (state: WireState) => void) => void;
}

/** What a dashboard sends in the socket.io handshake (`auth`). */
export interface SocketAuth {
  /** The {@link CONTRACT_VERSION} the dashboard was built with. */
  contractVersion: number;
}

/**
 * The `connect_error` message of a handshake refused because the dashboard was built for another
 * contract version; its `data` is {@link ContractMismatch}. The dashboard reloads itself.
 */
export const CONTRACT_MISMATCH = 'contract-mismatch';

export interface ContractMismatch {
  /** The server's contract version. */
  contractVersion: number;
}
