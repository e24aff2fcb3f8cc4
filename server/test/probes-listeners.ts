/**
 * Loopback listeners that misbehave on purpose, for the probe tests. Each test file binds its own
 * 127.77.x.y addresses. Run as a script (`node --import tsx probes-listeners.ts HOST`) it starts the
 * failing listeners of the open-handle test in a child process and prints their ports as JSON, so
 * their sockets do not count among the monitor's.
 */
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export interface Listener {
  port: number;
  close(): Promise<void>;
}

/** A TCP listener whose connections are handed to `onConnection` and all destroyed on close. */
export async function tcpServer(host: string, onConnection: (socket: net.Socket) => void, port = 0): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP listener that accepts and never says anything. */
export function hungTcp(host: string, port = 0): Promise<Listener> {
  return tcpServer(host, () => {}, port);
}

export async function httpServer(host: string, handler: http.RequestListener, port = 0): Promise<Listener & { url: string }> {
  const server = http.createServer(handler);
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const bound = (server.address() as net.AddressInfo).port;
  return {
    port: bound,
    url: `http://${host}:${bound}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type SipHandler = (request: string, from: dgram.RemoteInfo, socket: dgram.Socket) => void;

/** A UDP listener handing every datagram to `handler`; `requests` keeps what it received. */
export async function sipServer(host: string, handler: SipHandler, port = 0): Promise<Listener & { requests: string[] }> {
  const socket = dgram.createSocket('udp4');
  const requests: string[] = [];
  socket.on('message', (data, from) => {
    const request = data.toString();
    requests.push(request);
    handler(request, from, socket);
  });
  await new Promise<void>((resolve) => socket.bind(port, host, resolve));
  return {
    port: socket.address().port,
    requests,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

/** A response to `request` as a compliant UAS writes it: Via, From, To (plus a tag), Call-ID and CSeq copied. */
export function sipReply(request: string, code: number, reason: string, extraHeaders: string[] = []): string {
  const copied = request
    .split('\r\n')
    .filter((line) => /^(via|from|to|call-id|cseq):/i.test(line))
    .map((line) => (/^to:/i.test(line) ? `${line};tag=uas1` : line));
  return [`SIP/2.0 ${code} ${reason}`, ...copied, ...extraHeaders, 'Content-Length: 0', '', ''].join('\r\n');
}

/** Answers every request with `code reason`, after `delayMs` when given. */
export function answer(code: number, reason: string, delayMs = 0): SipHandler {
  return (request, from, socket) => {
    const send = (): void => socket.send(sipReply(request, code, reason), from.port, from.address);
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  };
}

/** Polls `condition` until it holds or the deadline passes. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The failing listeners of the open-handle test, on one host. */
export async function failingListeners(host: string) {
  const hung = await hungTcp(host);
  const http503 = await httpServer(host, (_req, res) => res.writeHead(503).end('down'));
  const garbage = await sipServer(host, (_request, from, socket) => socket.send('\x00\x01garbage\xff', from.port, from.address));
  const silent = await sipServer(host, () => {});
  return {
    ports: { hung: hung.port, http503: http503.port, garbage: garbage.port, silent: silent.port },
    close: () => Promise.all([hung.close(), http503.close(), garbage.close(), silent.close()]),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const listeners = await failingListeners(process.argv[2] ?? '127.77.4.1');
  process.stdout.write(`${JSON.stringify(listeners.ports)}\n`);
  process.on('disconnect', () => process.exit(0));
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
