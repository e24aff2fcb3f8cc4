import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import { OneFrameAdapter } from './adapter.ts';
import { contractCheck } from './contract.ts';
import { engineGuard, type EngineGuardPolicy } from './engine-guard.ts';
import { guardSockets, type GuardStats, type SocketLimits } from './guard.ts';
import { DEFAULT_SOCKET_LIMITS, ENGINE_LIMITS } from './limits.ts';
import { hubParser } from './parser.ts';
import { createWireFeed } from './wire-feed.ts';

export type HqwatchIo = Server<ClientToServerEvents, ServerToClientEvents>;

export interface HubOptions {
  source: LiveSource;
  /** Who may open a socket: Host names, origins, trusted proxies (read on every request). */
  policy: EngineGuardPolicy;
  log: Logger;
  limits?: SocketLimits;
  /**
   * permessage-deflate on the WebSocket transport. Off by default: measured with 1,000 and 5,000
   * dashboards (README, Performance), compressing each frame per connection costs more server CPU
   * than the bytes it saves on deltas this small, and it forgoes socket.io's frame built once.
   */
  perMessageDeflate?: boolean;
  /**
   * Whether this node broadcasts a change to its dashboards itself (the default). A web node or a
   * standby behind Redis does not: the leader's broadcast reaches them through the adapter.
   */
  broadcasts?: () => boolean;
  /** socket.io's adapter (Redis Streams for several nodes); the in-memory one-frame adapter by default. */
  adapter?: ServerOptions['adapter'];
  /** WebSocket only (no HTTP long-polling), so a load balancer needs no sticky sessions. */
  websocketOnly?: boolean;
}

export interface Hub {
  io: HqwatchIo;
  /** Starts serving sockets on the HTTP server, in front of its request handler. */
  attach(httpServer: HttpServer): void;
  /** Dashboards connected now. */
  clientCount(): number;
  /** Packets dropped, sockets disconnected, syncs answered and coalesced by the guard. */
  guardStats(): GuardStats;
  close(): void;
}

/**
 * The socket.io hub: answers `state:sync` with the full state of the current seq and broadcasts each
 * change of the live state as `state:changed`, both in the compact wire form and each encoded once
 * per seq (one broadcast to the namespace: socket.io encodes it and builds its WebSocket frame
 * once). Who may connect and what they may send is the guard's (`engine-guard.ts` for every
 * request, `guard.ts` for every packet); dashboards of another contract version are refused at the
 * handshake (`contract.ts`). It is made before the HTTP server exists (Koa's request handler is
 * composed from the routes, and the health route counts the hub's clients) and attached to it once
 * it does.
 */
export function createHub(options: HubOptions): Hub {
  const { source, policy, log, limits = DEFAULT_SOCKET_LIMITS, perMessageDeflate = false } = options;
  const feed = createWireFeed(source);
  const io: HqwatchIo = new Server({
    serveClient: false,
    ...ENGINE_LIMITS,
    parser: hubParser,
    adapter: options.adapter ?? OneFrameAdapter,
    perMessageDeflate,
    ...(options.websocketOnly ? { transports: ['websocket' as const] } : {}),
  });
  const guard = guardSockets(io, limits, policy.trustedProxies, log);
  io.use(contractCheck(log));
  io.on('connection', (socket) => {
    socket.on('state:sync', (ack) => {
      if (typeof ack === 'function') ack(feed.snapshot());
    });
  });
  const unsubscribe = source.subscribe((change) => {
    // Encoded either way, so the feed's base follows the state its dashboards hold.
    const wire = feed.delta(change);
    if (options.broadcasts?.() ?? true) io.emit('state:changed', wire);
  });
  return {
    io,
    attach(httpServer) {
      io.attach(httpServer);
      // The engine exists once attached; its middleware sees every request, handshake or not.
      io.engine.use(engineGuard(policy, limits.handshakes, log));
    },
    clientCount: () => io.engine.clientsCount,
    guardStats: () => guard.stats,
    close() {
      unsubscribe();
      io.disconnectSockets(true);
    },
  };
}
