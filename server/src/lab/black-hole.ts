import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { isLoopback } from './addresses.ts';
import { bindUdp, closeUdp } from './listeners.ts';

/** Ports a dead machine leaves unanswered, held so that nothing answers them. */
export interface BlackHole {
  /** Releases every port: they can be bound again once this resolves. */
  close(): Promise<void>;
}

/**
 * Connections that fill a listener's accept queue. Node never passes a backlog of 0 to `listen`
 * (it turns it into 511), so listeners use a backlog of 1, whose queue the kernel counts full at
 * two connections: from then on a new SYN is dropped, never refused.
 */
const BACKLOG = 1;
const FILLERS = BACKLOG + 1;

/** How long a released worker may take to close its listeners before it is terminated. */
const RELEASE_MS = 2_000;

/** How long a filler may take to be queued: on loopback the kernel completes it at once, if at all. */
const FILL_MS = 500;

/**
 * The worker's code: listen on every port with the small backlog, say which ports, then block its
 * own event loop on the shared flag until released, so nothing ever accepts. Plain JavaScript
 * evaluated as a script, so it runs the same from the TypeScript sources and from the bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { address, ports, backlog, flag } = workerData;
const servers = [];
let listening = 0;
const fail = (err) => { parentPort.postMessage({ error: err.code ? err.code + ': ' + err.message : String(err) }); process.exit(1); };
for (const port of ports) {
  const server = net.createServer();
  server.once('error', fail);
  servers.push(server);
  server.listen({ host: address, port, backlog, exclusive: true }, () => {
    if (++listening < ports.length) return;
    parentPort.postMessage({ ports: servers.map((s) => s.address().port) });
    // Blocked here, the loop never polls the listeners again: queued connections are never accepted.
    Atomics.wait(new Int32Array(flag), 0, 0);
    for (const s of servers) s.close();
    process.exit(0);
  });
}
`;

interface Ready {
  ports?: number[];
  error?: string;
}

/**
 * Makes `address` look like a machine that is off, on loopback where a closed port would answer
 * with a reset: every TCP port in `tcpPorts` is a listener whose accept queue is full and never
 * drained (held in a worker thread whose event loop is blocked), so connections time out; every
 * UDP port in `udpPorts` is bound and never answers, so no ICMP port-unreachable is sent either.
 * Stays inside 127.0.0.0/8.
 */
export async function openBlackHole(address: string, tcpPorts: readonly number[], udpPorts: readonly number[]): Promise<BlackHole> {
  if (!isLoopback(address)) throw new Error(`black hole on ${address}: the lab only uses 127.0.0.0/8`);
  const udp: UdpSocket[] = [];
  const fillers: Socket[] = [];
  let worker: Worker | null = null;
  const flag = new SharedArrayBuffer(4);

  async function release(): Promise<void> {
    for (const socket of fillers) socket.destroy();
    await Promise.all(udp.map((socket) => closeUdp(socket)));
    const running = worker;
    worker = null;
    if (!running) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    Atomics.store(new Int32Array(flag), 0, 1);
    Atomics.notify(new Int32Array(flag), 0);
    const timer = setTimeout(() => void running.terminate(), RELEASE_MS);
    await exited;
    clearTimeout(timer);
  }

  try {
    for (const port of udpPorts) {
      const socket = createSocket('udp4');
      socket.on('message', () => undefined); // swallowed: a dead machine says nothing
      socket.on('error', () => undefined);
      udp.push(socket);
      await bindUdp(socket, address, port);
    }
    if (tcpPorts.length > 0) {
      const started = new Worker(WORKER_SOURCE, { eval: true, workerData: { address, ports: [...tcpPorts], backlog: BACKLOG, flag } });
      worker = started;
      // A blocked worker must not keep the lab's process alive on its own.
      started.unref();
      const ready = await new Promise<Ready>((resolve, reject) => {
        started.once('message', resolve);
        started.once('error', reject);
        started.once('exit', (code) => reject(new Error(`black hole worker exited with ${code}`)));
      });
      if (ready.error || !ready.ports) throw new Error(`black hole on ${address}: ${ready.error ?? 'no ports'}`);
      for (const port of ready.ports)
        for (let i = 0; i < FILLERS; i++) {
          const filler = await fill(address, port);
          // Not taken: someone else's connection (a monitor's probe arriving between the listen and
          // the fill) already holds the last place in the queue, which is full all the same.
          if (filler === null) break;
          fillers.push(filler);
        }
    }
  } catch (err) {
    await release();
    throw err;
  }
  return { close: release };
}

/**
 * One connection into the accept queue; the kernel completes it though nobody accepts. Null when the
 * queue is already full: a filler that does not connect at once never will.
 */
function fill(address: string, port: number): Promise<Socket | null> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, FILL_MS);
    socket.once('error', fail);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.on('error', () => undefined); // reset when the black hole is released
      resolve(socket);
    });
  });
}
