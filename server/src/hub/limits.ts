import type { ServerOptions } from 'socket.io';
import type { SocketLimits } from './guard.ts';
import { DEFAULT_SYNC_LIMITS } from './sync-gate.ts';

/**
 * The largest message a client may send: one WebSocket frame, or one polling POST. What the
 * dashboard sends is tiny — `40` to connect, `2`/`3` pings, `42N["state:sync"]` (about 20 bytes;
 * `server/test/security/socket-frames.test.ts` measures the largest a real client sends) — so 4 KiB
 * leaves room for a handshake payload and refuses the 1 MB default, in which one POST could carry
 * 50,000 syncs.
 */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;

/** engine.io options of the hub's server. */
export const ENGINE_LIMITS: Partial<ServerOptions> = {
  maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
  // EIO3 clients are socket.io 2, which the dashboard is not; the older protocol is another surface.
  allowEIO3: false,
  // Per-message deflate costs a zlib context per socket and inflates what clients send (zip bombs).
  perMessageDeflate: false,
};

/**
 * Per socket: the dashboard sends a sync on connect and on a seq gap (pings and pongs are below
 * socket.io and not counted): 10 packets a second with a burst of 40 is far above it. A socket that
 * goes on past its rate for 50 packets in a row is disconnected.
 */
export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  packetsPerSecond: 10,
  packetBurst: 40,
  dropsBeforeDisconnect: 50,
  sync: DEFAULT_SYNC_LIMITS,
  // Walls reconnect with 0.5–5 s of jittered backoff: 60 at once from one address, then 20 a second.
  handshakes: { perSecond: 20, burst: 60 },
};
