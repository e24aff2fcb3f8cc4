import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { LiveSource } from '../monitor/live-source.ts';
import { OneFrameAdapter } from './adapter.ts';
import { contractCheck } from './contract.ts';
import { originAllowed } from './origin.ts';
import { hubParser } from './parser.ts';
import { createWireFeed } from './wire-feed.ts';

export type HqwatchIo = Server<ClientToServerEvents, ServerToClientEvents>;

export interface HubOptions {
  source: LiveSource;
  allowedOrigins: () => readonly string[];
  log: Logger;
  /**
   * permessage-deflate on the WebSocket transport. Off by default: measured with 1,000 and 5,000
   * dashboards (README, Performance), compressing each frame per connection costs more server CPU
   * than the bytes it saves on deltas this small, and it forgoes socket.io's frame built once.
   */
  perMessageDeflate?: boolean;
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
 * The socket.io hub: refuses foreign origins and dashboards of another contract version at the
 * handshake, answers `state:sync` with the full state of the current seq and broadcasts each change
 * of the live state as `state:changed`, both in the compact wire form and each encoded once per seq
 * (one broadcast to the namespace: socket.io encodes it and builds its WebSocket frame once). It is
 * made before the HTTP server exists (Koa's request handler is composed from the routes, and the
 * health route counts the hub's clients) and attached to it once it does.
 */
export function createHub({ source, allowedOrigins, log, perMessageDeflate = false }: HubOptions): Hub {
  const feed = createWireFeed(source);
  const io: HqwatchIo = new Server({
    serveClient: false,
    parser: hubParser,
    adapter: OneFrameAdapter,
    perMessageDeflate,
    allowRequest: (req, callback) => {
      const ok = originAllowed(req, allowedOrigins());
      if (!ok) log.warn({ origin: req.headers.origin }, 'socket handshake refused: foreign origin');
      callback(ok ? null : 'origin not allowed', ok);
    },
  });
  io.use(contractCheck(log));
  io.on('connection', (socket) => {
    socket.on('state:sync', (ack) => {
      if (typeof ack === 'function') ack(feed.snapshot());
    });
  });
  const unsubscribe = source.subscribe((change) => io.emit('state:changed', feed.delta(change)));
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
