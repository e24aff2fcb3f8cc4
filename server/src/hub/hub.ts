import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import { engineGuard, type EngineGuardPolicy } from './engine-guard.ts';
import { guardSockets, type GuardStats, type SocketLimits } from './guard.ts';
import { DEFAULT_SOCKET_LIMITS, ENGINE_LIMITS } from './limits.ts';

export type HqwatchIo = Server<ClientToServerEvents, ServerToClientEvents>;

export interface HubOptions {
  source: LiveSource;
  /** Who may open a socket: Host names, origins, trusted proxies (read on every request). */
  policy: EngineGuardPolicy;
  log: Logger;
  limits?: SocketLimits;
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
 * The socket.io hub: answers `state:sync` with the full snapshot and broadcasts each delta of the
 * live state as `state:changed`. Who may connect and what they may send is the guard's
 * (`engine-guard.ts` for every request, `guard.ts` for every packet). It is made before the HTTP
 * server exists (Koa's request handler is composed from the routes, and the health route counts the
 * hub's clients) and attached to it once it does.
 */
export function createHub({ source, policy, log, limits = DEFAULT_SOCKET_LIMITS }: HubOptions): Hub {
  const io: HqwatchIo = new Server({ serveClient: false, ...ENGINE_LIMITS });
  const guard = guardSockets(io, limits, policy.trustedProxies, log);
  io.on('connection', (socket) => {
    socket.on('state:sync', (ack) => {
      if (typeof ack === 'function') ack(source.current());
    });
  });
  const unsubscribe = source.subscribe((delta) => io.emit('state:changed', delta));
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
