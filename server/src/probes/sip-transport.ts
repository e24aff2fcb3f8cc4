import dgram from 'node:dgram';
import { describeError } from './errors.ts';
import { parseSipResponse } from './sip-message.ts';
import type { Verdict } from './deadline.ts';

export type Family = 4 | 6;

/** One OPTIONS waiting for its answer. */
export interface SipTransaction {
  callId: string;
  /** Where the request went; only a datagram from exactly there can answer it. */
  address: string;
  port: number;
  acceptCodes: readonly number[];
  settle: (verdict: Verdict) => void;
}

/** A bound socket shared by every SIP probe of one address family. */
export interface SipEndpoint {
  socket: dgram.Socket;
  /** The local port, once bound. */
  port: number;
}

interface Endpoint extends SipEndpoint {
  ready: Promise<void>;
  inFlight: number;
}

/**
 * One UDP socket per address family serves every SIP probe, replies being matched to their
 * transaction by Call-ID. A socket per probe would cost a bind, a file descriptor and a close per
 * probe; this costs one Map lookup. The socket is unref'd while nothing is pending on it, so it never
 * keeps the process alive.
 */
const endpoints = new Map<Family, Endpoint>();
/** Pending transactions by Call-ID, each with the endpoint it was sent from. */
const pending = new Map<string, { tx: SipTransaction; endpoint: Endpoint }>();
/** Local source address the kernel picks towards each target: written in Via so the reply finds us. */
const localAddresses = new Map<string, Promise<string>>();

function open(family: Family): Endpoint {
  const socket = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
  const endpoint: Endpoint = { socket, port: 0, inFlight: 0, ready: Promise.resolve() };
  endpoint.ready = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.off('error', reject);
      try {
        // Room for a burst of replies when many probes are in flight at once.
        socket.setRecvBufferSize(4 * 1024 * 1024);
      } catch {
        // The system caps it; the default still serves moderate concurrency.
      }
      endpoint.port = socket.address().port;
      resolve();
    });
  });
  // Whoever awaits `ready` hears of a failed bind; this only keeps it from being reported unhandled.
  endpoint.ready.catch(() => undefined);
  socket.on('message', onDatagram);
  socket.on('error', (err) => {
    // A socket-level error leaves it unusable: fail whoever waits on it and open a new one next time.
    if (endpoints.get(family) === endpoint) endpoints.delete(family);
    for (const entry of [...pending.values()]) {
      if (entry.endpoint === endpoint) entry.tx.settle({ ok: false, error: describeError(err) });
    }
    closeQuietly(socket);
  });
  socket.unref();
  endpoints.set(family, endpoint);
  return endpoint;
}

function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}

/** The shared socket of a family, bound on first use. */
export async function sipEndpoint(family: Family): Promise<SipEndpoint> {
  const endpoint = endpoints.get(family) ?? open(family);
  await endpoint.ready;
  return endpoint;
}

/** The source address used towards `address`; a connected UDP socket tells it without sending anything. */
export function localAddressFor(address: string, family: Family): Promise<string> {
  let known = localAddresses.get(address);
  if (!known) {
    known = new Promise<string>((resolve) => {
      const socket = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
      const done = (local: string): void => {
        closeQuietly(socket);
        resolve(local);
      };
      socket.on('error', () => done(family === 4 ? '0.0.0.0' : '::'));
      socket.connect(9, address, () => done(socket.address().address));
    });
    localAddresses.set(address, known);
  }
  return known;
}

/** Registers a transaction; its socket keeps the process alive until it is removed. */
export function addTransaction(via: SipEndpoint, tx: SipTransaction): void {
  const endpoint = via as Endpoint;
  pending.set(tx.callId, { tx, endpoint });
  if (endpoint.inFlight++ === 0) endpoint.socket.ref();
}

export function removeTransaction(tx: SipTransaction): void {
  const entry = pending.get(tx.callId);
  if (entry?.tx !== tx) return;
  pending.delete(tx.callId);
  if (--entry.endpoint.inFlight === 0) entry.endpoint.socket.unref();
}

/** The oldest transaction waiting on this source: whom an unreadable datagram from it answers. */
function oldestFrom(address: string, port: number): SipTransaction | undefined {
  for (const { tx } of pending.values()) if (tx.address === address && tx.port === port) return tx;
  return undefined;
}

function onDatagram(data: Buffer, from: dgram.RemoteInfo): void {
  const parsed = parseSipResponse(data);
  const callId = parsed.ok ? parsed.response.headers.get('call-id')?.[0] : parsed.callId;
  let tx = callId === undefined ? undefined : pending.get(callId)?.tx;
  // Anyone can send a datagram naming a Call-ID; only the probed address and port may answer.
  if (tx && (tx.address !== from.address || tx.port !== from.port)) return;
  if (!tx) {
    // A readable reply to nothing pending is a late answer to a probe already judged.
    if (parsed.ok) return;
    tx = oldestFrom(from.address, from.port);
    if (!tx) return;
  }
  if (!parsed.ok) {
    tx.settle({ ok: false, error: `malformed SIP reply: ${parsed.error}` });
    return;
  }
  const { code, reason } = parsed.response;
  if (tx.acceptCodes.includes(code)) tx.settle({ ok: true });
  // A provisional answer (100 Trying) announces the final one.
  else if (code >= 200) tx.settle({ ok: false, error: `SIP ${code} ${reason}`.trimEnd() });
}

/** Closes the shared sockets, e.g. when the monitor shuts down; the next probe opens new ones. */
export function closeSipSockets(): void {
  for (const { tx } of [...pending.values()]) tx.settle({ ok: false, error: 'SIP socket closed' });
  for (const { socket } of endpoints.values()) closeQuietly(socket);
  endpoints.clear();
}
