import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import { originAllowed } from './origin.ts';

export type HqwatchIo = Server<ClientToServerEvents, ServerToClientEvents>;

export interface HubOptions {
  source: LiveSource;
  allowedOrigins: () => readonly string[];
  log: Logger;
}

export interface Hub {
  io: HqwatchIo;
  /** Starts serving sockets on the HTTP server, in front of its request handler. */
  attach(httpServer: HttpServer): void;
  /** Dashboards connected now. */
  clientCount(): number;
  close(): void;
}

/**
 * The socket.io hub: refuses foreign origins at the handshake, answers `state:sync` with the full
 * snapshot and broadcasts each delta of the live state as `state:changed`. It is made before the
 * HTTP server exists (Koa's request handler is composed from the routes, and the health route
 * counts the hub's clients) and attached to it once it does.
 */
export function createHub({ source, allowedOrigins, log }: HubOptions): Hub {
  const io: HqwatchIo = new Server({
    serveClient: false,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req, allowedOrigins());
      if (!ok) log.warn({ origin: req.headers.origin }, 'socket handshake refused: foreign origin');
      callback(ok ? null : 'origin not allowed', ok);
    },
  });
  io.on('connection', (socket) => {
    socket.on('state:sync', (ack) => {
      if (typeof ack === 'function') ack(source.current());
    });
  });
  const unsubscribe = source.subscribe((delta) => io.emit('state:changed', delta));
  return {
    io,
    attach: (httpServer) => void io.attach(httpServer),
    clientCount: () => io.engine.clientsCount,
    close() {
      unsubscribe();
      io.disconnectSockets(true);
    },
  };
}
