import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { encodeDelta, encodeState, type ClientToServerEvents, type LiveState, type ServerToClientEvents } from '@hqwatch/shared';
import { syntheticDirectory, syntheticState } from './synthetic-state.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export interface BenchServer {
  url: string;
  /** Current synthetic state. */
  state(): LiveState;
  /**
   * Starts emitting one state change every `everyMs`: a failover toggles every `toggleEvery` changes
   * (0: never); with `churn`, every change also takes all distributed servers down or back up.
   */
  play(everyMs: number, toggleEvery?: number, churn?: boolean): void;
  /** Opens (or closes) the failover window now. */
  setFailing(on: boolean): void;
  stop(): void;
  close(): Promise<void>;
}

async function serveStatic(dist: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const requested = path.normalize(path.join(dist, decodeURIComponent(url.pathname)));
  const inside = requested.startsWith(dist + path.sep);
  const file = inside && (await stat(requested).catch(() => null))?.isFile() ? requested : path.join(dist, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(await readFile(file));
}

/**
 * A stand-in for the hqwatch server on 127.0.0.1: serves the built client, answers `/api/state`
 * and `state:sync`, and plays synthetic LiveStates of `sites` sites on the socket's wire, as the hub
 * does (it accepts any contract version: it is built from the same sources as the client). History endpoints answer 404,
 * as on a server without a store.
 */
export async function startBenchServer(dist: string, sites: number): Promise<BenchServer> {
  const startedAt = Date.now();
  let current = syntheticState(sites, 1, startedAt, null);
  let failing: { since: number } | null = null;
  let dvsDown = false;
  let timer: ReturnType<typeof setInterval> | undefined;

  const http = createServer((req, res) => {
    if (req.url === '/api/state') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(current));
      return;
    }
    if (req.url === '/api/sites') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(syntheticDirectory(sites)));
      return;
    }
    if (req.url?.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'not found' } }));
      return;
    }
    serveStatic(dist, req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, { serveClient: false });
  io.on('connection', (socket) => socket.on('state:sync', (ack) => ack(encodeState(current))));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  function advance(toggle: boolean, churn = false): void {
    const now = Date.now();
    if (toggle) failing = failing ? null : { since: now - 7 * 60_000 };
    if (churn) dvsDown = !dvsDown;
    const next = syntheticState(sites, current.seq + 1, now, failing, dvsDown);
    io.emit('state:changed', encodeDelta(current, next));
    current = next;
  }

  return {
    url: `http://127.0.0.1:${port}`,
    state: () => current,
    play(everyMs, toggleEvery = 5, churn = false) {
      clearInterval(timer);
      let n = 0;
      timer = setInterval(() => advance(toggleEvery > 0 && ++n % toggleEvery === 0, churn), everyMs);
    },
    setFailing(on) {
      if (!!failing !== on) advance(true);
    },
    stop: () => clearInterval(timer),
    async close() {
      clearInterval(timer);
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
