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

/** The socket that serves every SIP probe of one target (address and port). */
export interface SipEndpoint {
  socket: dgram.Socket;
  /** The local address and port, once connected: what the request's Via names. */
  localAddress: string;
  port: number;
}

interface Endpoint extends SipEndpoint {
  key: string;
  ready: Promise<void>;
  inFlight: number;
  idle: NodeJS.Timeout | undefined;
}

/**
 * One *connected* UDP socket per target serves every SIP probe of it, replies being matched to
 * their transaction by Call-ID. Connected, because only a connected UDP socket hears the ICMP
 * port-unreachable a live host sends for a closed port (ECONNREFUSED): that is how a stopped
 * service on a live machine is told from a dead machine (`hostAnswered`), and the kernel drops
 * datagrams from anyone but the target. One per target rather than per probe, so a round costs no
 * bind; a socket idle for {@link IDLE_CLOSE_MS} is closed (targets change with the config), and
 * sockets are unref'd while nothing is pending, so they never keep the process alive.
 */
const endpoints = new Map<string, Endpoint>();
/** Pending transactions by Call-ID, each with the endpoint it was sent from. */
const pending = new Map<string, { tx: SipTransaction; endpoint: Endpoint }>();

/** A target's socket is closed after this long without a probe. */
const IDLE_CLOSE_MS = 60_000;

/** ICMP errors a connected socket reports for its target: the socket itself stays usable. */
const TARGET_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EMSGSIZE']);

function keyOf(address: string, port: number): string {
  return `${address}|${port}`;
}

function open(address: string, port: number, family: Family): Endpoint {
  const socket = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
  const key = keyOf(address, port);
  const endpoint: Endpoint = { key, socket, localAddress: '', port: 0, inFlight: 0, ready: Promise.resolve(), idle: undefined };
  endpoint.ready = new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, address, () => {
      socket.off('error', reject);
      try {
        // Room for a burst of replies when many probes of one target are in flight at once.
        socket.setRecvBufferSize(1024 * 1024);
      } catch {
        // The system caps it; the default still serves moderate concurrency.
      }
      const local = socket.address();
      endpoint.localAddress = local.address;
      endpoint.port = local.port;
      resolve();
    });
  });
  // Whoever awaits `ready` hears of a failed connect; this only keeps it from being reported unhandled.
  endpoint.ready.catch(() => undefined);
  socket.on('message', (data, from) => onDatagram(endpoint, data, from));
  socket.on('error', (err: NodeJS.ErrnoException) => onError(endpoint, err));
  socket.unref();
  endpoints.set(key, endpoint);
  return endpoint;
}

function onError(endpoint: Endpoint, err: NodeJS.ErrnoException): void {
  const answered = err.code === 'ECONNREFUSED';
  const error = answered ? 'connection refused (port unreachable)' : describeError(err);
  for (const entry of [...pending.values()]) {
    if (entry.endpoint === endpoint) entry.tx.settle({ ok: false, error, hostAnswered: answered });
  }
  // An ICMP error says something about the target, not the socket; anything else leaves it unusable.
  if (err.code !== undefined && TARGET_ERRORS.has(err.code)) return;
  forget(endpoint);
}

function forget(endpoint: Endpoint): void {
  clearTimeout(endpoint.idle);
  if (endpoints.get(endpoint.key) === endpoint) endpoints.delete(endpoint.key);
  closeQuietly(endpoint.socket);
}

function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // Already closed.
  }
}

/** The connected socket of a target, opened on first use. */
export async function sipEndpoint(address: string, port: number, family: Family): Promise<SipEndpoint> {
  const endpoint = endpoints.get(keyOf(address, port)) ?? open(address, port, family);
  await endpoint.ready;
  return endpoint;
}

/** Registers a transaction; its socket keeps the process alive until it is removed. */
export function addTransaction(via: SipEndpoint, tx: SipTransaction): void {
  const endpoint = via as Endpoint;
  pending.set(tx.callId, { tx, endpoint });
  clearTimeout(endpoint.idle);
  endpoint.idle = undefined;
  if (endpoint.inFlight++ === 0) endpoint.socket.ref();
}

export function removeTransaction(tx: SipTransaction): void {
  const entry = pending.get(tx.callId);
  if (entry?.tx !== tx) return;
  pending.delete(tx.callId);
  const { endpoint } = entry;
  if (--endpoint.inFlight > 0) return;
  endpoint.socket.unref();
  endpoint.idle = setTimeout(() => forget(endpoint), IDLE_CLOSE_MS);
  endpoint.idle.unref();
}

/** The oldest transaction waiting on this endpoint: whom an unreadable datagram answers. */
function oldestOn(endpoint: Endpoint): SipTransaction | undefined {
  for (const entry of pending.values()) if (entry.endpoint === endpoint) return entry.tx;
  return undefined;
}

function onDatagram(endpoint: Endpoint, data: Buffer, from: dgram.RemoteInfo): void {
  const parsed = parseSipResponse(data);
  const callId = parsed.ok ? parsed.response.headers.get('call-id')?.[0] : parsed.callId;
  let tx = callId === undefined ? undefined : pending.get(callId)?.tx;
  // The kernel only delivers the target's datagrams to a connected socket; checked anyway, since
  // anyone can send a datagram naming a Call-ID.
  if (tx && (tx.address !== from.address || tx.port !== from.port)) return;
  if (!tx) {
    // A readable reply to nothing pending is a late answer to a probe already judged.
    if (parsed.ok) return;
    tx = oldestOn(endpoint);
    if (!tx || tx.address !== from.address || tx.port !== from.port) return;
  }
  // Whatever it says, the host answered.
  if (!parsed.ok) {
    tx.settle({ ok: false, hostAnswered: true, error: `malformed SIP reply: ${parsed.error}` });
    return;
  }
  const { code, reason } = parsed.response;
  if (tx.acceptCodes.includes(code)) tx.settle({ ok: true });
  // A provisional answer (100 Trying) announces the final one.
  else if (code >= 200) tx.settle({ ok: false, hostAnswered: true, error: `SIP ${code} ${reason}`.trimEnd() });
}

/** Closes the shared sockets, e.g. when the monitor shuts down; the next probe opens new ones. */
export function closeSipSockets(): void {
  for (const { tx } of [...pending.values()]) tx.settle({ ok: false, error: 'SIP socket closed' });
  for (const endpoint of [...endpoints.values()]) forget(endpoint);
}
