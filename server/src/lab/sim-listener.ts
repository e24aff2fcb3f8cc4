import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { isLoopback } from './addresses.ts';
import { bindUdp, closeTcp, closeUdp, listenTcp } from './listeners.ts';
import type { AnswerMode } from './node-state.ts';
import { answerSip } from './sip-responder.ts';
import { DATABASE_BANNER, directorPage, type ServiceSpec } from './services.ts';

/** What a listener asks of its node: the current answer mode, and bookkeeping so a state change leaks nothing. */
export interface ListenerContext {
  nodeName: string;
  mode(): AnswerMode;
  latencyMs(): number;
  /** Registers an accepted connection, destroyed on the next state change. */
  track(socket: Socket): void;
  /** Runs `fn` after `ms`, unless the state changes first. */
  later(fn: () => void, ms: number): void;
}

export interface OpenListener {
  spec: ServiceSpec;
  port: number;
  socket: Server | UdpSocket;
  /** Stops accepting synchronously; resolves once the socket is released. */
  close(): Promise<void>;
}

/** Binds one listener of a node on `address:port` (0 = any free port). */
export async function openListener(spec: ServiceSpec, address: string, port: number, ctx: ListenerContext): Promise<OpenListener> {
  if (spec.protocol === 'udp') return openSip(spec, address, port, ctx);
  if (spec.kind === 'http') return openDirector(spec, address, port, ctx);
  const server = createTcpServer((socket) => onTcpConnection(spec, socket, ctx));
  const bound = await listenTcp(server, address, port);
  server.on('error', () => undefined); // accept errors (EMFILE) must not take the lab down
  return { spec, port: bound, socket: server, close: () => closeTcp(server) };
}

/** Applies the node's answer mode: service listeners hang or wait; the host port always answers at once. */
function answer(spec: ServiceSpec, ctx: ListenerContext, respond: () => void): void {
  const mode = spec.role === 'host' ? 'answer' : ctx.mode();
  if (mode === 'hang') return; // accepted and held: the peer waits until its own timeout
  if (mode === 'slow') ctx.later(respond, ctx.latencyMs());
  else respond();
}

function onTcpConnection(spec: ServiceSpec, socket: Socket, ctx: ListenerContext): void {
  ctx.track(socket);
  answer(spec, ctx, () => (spec.kind === 'banner' ? socket.end(DATABASE_BANNER) : socket.end()));
}

async function openDirector(spec: ServiceSpec, address: string, port: number, ctx: ListenerContext): Promise<OpenListener> {
  const page = directorPage(ctx.nodeName);
  const server = createHttpServer((req, res) => answer(spec, ctx, () => serveDirector(req, res, page)));
  server.on('connection', (socket: Socket) => ctx.track(socket));
  const bound = await listenTcp(server, address, port);
  server.on('error', () => undefined);
  const close = () => {
    const closed = closeTcp(server);
    server.closeAllConnections();
    return closed;
  };
  return { spec, port: bound, socket: server, close };
}

function serveDirector(req: IncomingMessage, res: ServerResponse, page: string): void {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
  } else if (path === '/') {
    res.writeHead(302, { Location: '/ShoreWareDirector/' }).end();
  } else if (path === '/ShoreWareDirector/' || path === '/ShoreWareDirector') {
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Server: 'ShoreWare Director' })
      .end(req.method === 'HEAD' ? undefined : page);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
  }
}

async function openSip(spec: ServiceSpec, address: string, port: number, ctx: ListenerContext): Promise<OpenListener> {
  const socket = createSocket('udp4');
  const tag = randomBytes(4).toString('hex');
  socket.on('message', (msg: Buffer, peer: RemoteInfo) => {
    if (!isLoopback(peer.address)) return; // never send outside 127.0.0.0/8
    const mode = ctx.mode();
    const reply = answerSip(msg.toString('utf8'), { status: mode === 'sip-503' ? 503 : 200, tag, server: 'ShoreWare SIP (hqwatch lab)' });
    if (reply === null) return;
    answer(spec, ctx, () => {
      try {
        socket.send(reply, peer.port, peer.address);
      } catch {
        // the socket closed while the answer was due: nothing to send any more
      }
    });
  });
  // A peer that went away shows up as ICMP errors on some systems; a lab listener must not crash on it.
  socket.on('error', () => undefined);
  const bound = await bindUdp(socket, address, port);
  return { spec, port: bound, socket, close: () => closeUdp(socket) };
}
