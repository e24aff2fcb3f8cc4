import { io, type Socket } from 'socket.io-client';
import { CONTRACT_VERSION, type ClientToServerEvents, type ServerToClientEvents, type SocketAuth } from '@hqwatch/shared';

export type HqSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The one socket of the client, to the server that served the page. Stores register their
 * listeners and then call `connect()`; views never touch it.
 *
 * Reconnection never gives up (a wall display must come back by itself after any outage) and backs
 * off exponentially from 0.5 s to 5 s with jitter, so a restarted server is not hit by every
 * screen at once yet is seen again within seconds.
 *
 * WebSocket is tried first: one round trip less before the first state, no polling requests while
 * live. HTTP long-polling remains the fallback for networks whose proxies refuse WebSocket.
 *
 * The handshake says which contract version this build speaks; a server of another one refuses it
 * and the live store reloads the page (`contract.ts`).
 */
const auth: SocketAuth = { contractVersion: CONTRACT_VERSION };

export const socket: HqSocket = io({
  autoConnect: false,
  auth,
  transports: ['websocket', 'polling'],
  tryAllTransports: true,
  reconnection: true,
  reconnectionAttempts: Infinity,
  reconnectionDelay: 500,
  reconnectionDelayMax: 5_000,
  randomizationFactor: 0.5,
  timeout: 5_000,
});
