/**
 * The client half of the fan-out benchmark: `fanout-clients.ts MODE URL COUNT` opens COUNT
 * connections (socket.io over the websocket transport, or bare `ws` for the baseline) and notes
 * when each one receives each delta, on the machine's wall clock.
 *
 * Child → parent: `{ type: 'connected', count, failed, ms }`. Parent → child: `{ type: 'collect',
 * seq, sentAt, timeoutMs }`; the child waits until every connection has seq and answers
 * `{ type: 'latencies', seq, latencies, missing }` with receive − send per connection, in ms.
 */
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { StateDelta } from '@hqwatch/shared';
import { onParent, tellParent } from '../lib/child.ts';
import { sleep, wallClockMs } from '../lib/stats.ts';
import type { FanoutMode } from './fanout-server.ts';

const [mode, url, countArg] = process.argv.slice(2) as [FanoutMode, string, string];
const count = Number(countArg);
/** Connections opened at once; more only queues handshakes behind each other. */
const BATCH = 100;

/** Per connection: seq → when it arrived. */
const received: Map<number, number>[] = [];
const closers: (() => void)[] = [];

/**
 * Client `i`'s own source address (127.219.x.y, in the benchmarks' octets): walls come from
 * addresses of their own, and the server's per-address budgets (new sessions, snapshots) are for
 * one address, not for a crowd behind 127.0.0.1.
 */
function sourceAddress(i: number): string {
  return `127.219.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`;
}

function connectSocketIo(arrivals: Map<number, number>): Promise<boolean> {
  // engine.io-client hands `localAddress` to its WebSocket in Node; socket.io-client's types omit it.
  const options = {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 30_000,
    localAddress: sourceAddress(received.length),
  };
  const socket: Socket = io(url, options);
  closers.push(() => socket.close());
  socket.on('state:changed', (delta: StateDelta) => arrivals.set(delta.seq, wallClockMs()));
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('connect_error', () => resolve(false));
  });
}

function connectWs(arrivals: Map<number, number>): Promise<boolean> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { localAddress: sourceAddress(received.length) });
  closers.push(() => ws.terminate());
  // The same work a socket.io client does on arrival: decode the frame into the delta.
  ws.on('message', (data) => {
    const [, delta] = JSON.parse(data.toString().slice(2)) as [string, StateDelta];
    arrivals.set(delta.seq, wallClockMs());
  });
  ws.on('error', () => undefined);
  return new Promise((resolve) => {
    ws.once('open', () => resolve(true));
    ws.once('error', () => resolve(false));
  });
}

const started = performance.now();
let failed = 0;
for (let i = 0; i < count; i += BATCH) {
  const batch = Array.from({ length: Math.min(BATCH, count - i) }, () => {
    const arrivals = new Map<number, number>();
    received.push(arrivals);
    return mode === 'ws' ? connectWs(arrivals) : connectSocketIo(arrivals);
  });
  failed += (await Promise.all(batch)).filter((ok) => !ok).length;
}
tellParent({ type: 'connected', count: count - failed, failed, ms: performance.now() - started });

async function collect(seq: number, sentAt: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (received.some((r) => !r.has(seq)) && performance.now() < deadline) await sleep(5);
  const latencies: number[] = [];
  for (const arrivals of received) {
    const at = arrivals.get(seq);
    if (at !== undefined) latencies.push(at - sentAt);
    arrivals.clear();
  }
  tellParent({ type: 'latencies', seq, latencies, missing: received.length - latencies.length });
}

onParent(
  (message) => {
    if (message.type === 'collect') void collect(Number(message.seq), Number(message.sentAt), Number(message.timeoutMs));
  },
  () => {
    for (const close of closers) close();
    process.exit(0);
  },
);
