import { ServerResponse, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.ts';
import { clientAddress, dropUntrustedForwarding } from '../http/client-address.ts';
import type { EdgePolicy } from '../http/edge.ts';
import { hostAllowed } from '../http/host-check.ts';
import { logThrottle } from '../http/log-throttle.ts';
import { TokenBuckets } from '../http/rate-limit.ts';
import { SECURITY_HEADERS } from '../http/security-headers.ts';
import { originAllowed } from './origin.ts';

export interface EngineGuardPolicy extends EdgePolicy {
  /** Origins allowed besides the server's own: `http.allowedOrigins` and `http.publicUrl`'s. */
  allowedOrigins: () => readonly string[];
}

type Next = (err?: unknown) => void;

/** New sessions (handshakes) per client address: per second once the burst is spent, and the burst. */
export interface HandshakeLimits {
  perSecond: number;
  burst: number;
}

/** Why a request to the socket is refused, or null when it may proceed. */
export function socketRefusal(req: IncomingMessage, policy: EngineGuardPolicy): string | null {
  const query = new URL(req.url ?? '/', 'http://socket.invalid').searchParams;
  // JSONP polling answers a <script> tag, which sends no Origin: it would bypass the origin check.
  if (query.has('j')) return 'JSONP polling is disabled';
  if (!hostAllowed(req.headers.host, policy.hostNames())) return 'unknown Host (http.allowedHosts)';
  if (!originAllowed(req, policy.allowedOrigins())) return 'foreign Origin';
  return null;
}

/**
 * A refusal as the client sees it — the same status, `Retry-After` (on a 429) and security headers
 * whether it answers a polling request or a WebSocket upgrade, before that socket closes.
 */
function refuse(res: ServerResponse, status: 403 | 429, reason: string, retryAfterMs: number): void {
  const body = JSON.stringify({ code: 4, message: reason });
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    ...(status === 429 ? { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) } : {}),
    ...SECURITY_HEADERS,
  };
  if (res instanceof ServerResponse) {
    res.writeHead(status, headers);
    res.end(body);
    return;
  }
  // An upgrade: engine.io hands middlewares a stand-in response over the raw socket.
  const socket = (res as unknown as { socket: Duplex }).socket;
  if (socket.writable) {
    const lines = Object.entries({ Connection: 'close', ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`);
  }
  socket.destroy();
}

/**
 * engine.io middleware, run on every request to `/socket.io/` — the handshake, every polling
 * request and every WebSocket upgrade, with or without a session id (engine.io's `allowRequest`
 * only sees handshakes, so a stolen `sid` upgraded from a foreign page would skip it). Sets the
 * security headers, drops untrusted forwarding headers, and refuses JSONP, unknown `Host` names and
 * foreign `Origin`s; new sessions are rate-limited per client address, so a client dropped for
 * flooding cannot come straight back with a fresh budget.
 */
export function engineGuard(policy: EngineGuardPolicy, limits: HandshakeLimits, log: Logger) {
  const shouldLog = logThrottle(60_000);
  const handshakes = new TokenBuckets(limits.burst, limits.perSecond);
  return function engineGuard(req: IncomingMessage, res: ServerResponse, next: Next): void {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const trusted = policy.trustedProxies();
    dropUntrustedForwarding(req, trusted);
    const reason = socketRefusal(req, policy);
    const wait = reason === null && isHandshake(req) ? handshakes.take(clientAddress(req, trusted)) : 0;
    const status = reason !== null ? 403 : wait > 0 ? 429 : null;
    if (status === null) return next();
    const why = reason ?? 'too many new sessions from this address';
    if (shouldLog(why))
      log.warn(
        { reason: why, origin: req.headers.origin, host: req.headers.host },
        'socket request refused; more are not logged for a minute',
      );
    refuse(res, status, why, wait);
    next(new Error(why));
  };
}

/** A request that opens a session: no `sid` yet. */
function isHandshake(req: IncomingMessage): boolean {
  return !new URL(req.url ?? '/', 'http://socket.invalid').searchParams.has('sid');
}
