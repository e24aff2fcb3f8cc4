/**
 * A TCP proxy the test controls, between hqwatch and a real service: the way to take a database
 * away (and give it back) without ever stopping the service itself.
 *
 * - `refuse()`: every open connection is reset and new ones are reset on arrival (a server gone).
 * - `blackhole()`: nothing passes either way and new connections hang (a cut cable): data waits
 *   and flows again on `heal()`, as TCP's retransmissions would deliver it.
 * - `hostCut()`: as `blackhole`, and a connection the client gives up stays open towards the
 *   service (its server-side session lives on, as when the client's host vanishes: nothing tells
 *   the server), until `heal()` or `close()`.
 * - `delay(ms)`: every chunk is held `ms` before it is passed on, in order (a slow database).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

type Mode = { kind: 'open' } | { kind: 'refuse' } | { kind: 'blackhole'; hostCut?: boolean } | { kind: 'delay'; ms: number };

export interface TcpProxy {
  port: number;
  refuse(): void;
  blackhole(): void;
  hostCut(): void;
  delay(ms: number): void;
  heal(): void;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** One direction of a connection: chunks in order, each with the time it may go. */
interface Lane {
  queue: { at: number; chunk: Buffer }[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Pipe {
  client: Socket;
  upstream: Socket | null;
  up: Lane;
  down: Lane;
}

export async function startTcpProxy(target: { host: string; port: number }, host = '127.0.0.1'): Promise<TcpProxy> {
  let mode: Mode = { kind: 'open' };
  let accepted = 0;
  const pipes = new Set<Pipe>();

  /** Passes on the chunks whose time has come, in order; none while black-holed or not yet connected. */
  const pump = (pipe: Pipe, direction: 'up' | 'down'): void => {
    const lane = pipe[direction];
    const to = direction === 'up' ? pipe.upstream : pipe.client;
    clearTimeout(lane.timer);
    lane.timer = undefined;
    if (mode.kind === 'blackhole' || !to || to.connecting || to.destroyed) return;
    while (lane.queue.length > 0 && lane.queue[0]!.at <= Date.now()) to.write(lane.queue.shift()!.chunk);
    if (lane.queue.length > 0) lane.timer = setTimeout(() => pump(pipe, direction), lane.queue[0]!.at - Date.now());
  };

  const send = (pipe: Pipe, direction: 'up' | 'down', chunk: Buffer): void => {
    pipe[direction].queue.push({ at: Date.now() + (mode.kind === 'delay' ? mode.ms : 0), chunk });
    pump(pipe, direction);
  };

  /** Server-side ends of connections whose client left during a host cut: nothing tells the server. */
  const orphans = new Set<Socket>();
  const destroy = (pipe: Pipe): void => {
    if (mode.kind === 'blackhole' && mode.hostCut && pipe.upstream && !pipe.upstream.destroyed) {
      const upstream = pipe.upstream;
      upstream.removeAllListeners('close');
      upstream.on('close', () => orphans.delete(upstream));
      orphans.add(upstream);
      pipe.upstream = null;
    }
    clearTimeout(pipe.up.timer);
    clearTimeout(pipe.down.timer);
    pipe.client.resetAndDestroy();
    pipe.upstream?.resetAndDestroy();
    pipes.delete(pipe);
  };

  const flush = (pipe: Pipe): void => {
    pump(pipe, 'up');
    pump(pipe, 'down');
  };

  const open = (pipe: Pipe): void => {
    const upstream = connect(target);
    pipe.upstream = upstream;
    upstream.on('data', (chunk) => send(pipe, 'down', chunk));
    upstream.on('error', () => destroy(pipe));
    upstream.on('close', () => destroy(pipe));
    upstream.once('connect', () => flush(pipe));
  };

  const server: Server = createServer((client) => {
    accepted += 1;
    if (mode.kind === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const pipe: Pipe = { client, upstream: null, up: { queue: [], timer: undefined }, down: { queue: [], timer: undefined } };
    pipes.add(pipe);
    client.on('data', (chunk) => send(pipe, 'up', chunk));
    client.on('error', () => destroy(pipe));
    client.on('close', () => destroy(pipe));
    // A black-holed connection is not even passed on until the cut heals.
    if (mode.kind !== 'blackhole') open(pipe);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    refuse() {
      mode = { kind: 'refuse' };
      for (const pipe of [...pipes]) destroy(pipe);
    },
    blackhole() {
      mode = { kind: 'blackhole' };
    },
    hostCut() {
      mode = { kind: 'blackhole', hostCut: true };
    },
    delay(ms) {
      mode = { kind: 'delay', ms };
    },
    heal() {
      mode = { kind: 'open' };
      for (const orphan of [...orphans]) orphan.resetAndDestroy();
      for (const pipe of pipes) {
        if (!pipe.upstream) open(pipe);
        else flush(pipe);
      }
    },
    connections: () => accepted,
    async close() {
      mode = { kind: 'open' };
      for (const orphan of [...orphans]) orphan.resetAndDestroy();
      for (const pipe of [...pipes]) destroy(pipe);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
