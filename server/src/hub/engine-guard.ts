import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.ts';
import { dropUntrustedForwarding } from '../http/client-address.ts';
import type { EdgePolicy } from '../http/edge.ts';
import { hostAllowed } from '../http/host-check.ts';
import { logThrottle } from '../http/log-throttle.ts';
import { SECURITY_HEADERS } from '../http/security-headers.ts';
import { originAllowed } from './origin.ts';

export interface EngineGuardPolicy extends EdgePolicy {
  /** Origins allowed besides the server's own: `http.allowedOrigins` and `http.publicUrl`'s. */
  allowedOrigins: () => readonly string[];
}

type Next = (err?: unknown) => void;

/** Why a request to the socket is refused, or null when it may proceed. */
export function socketRefusal(req: IncomingMessage, policy: EngineGuardPolicy): string | null {
  const query = new URL(req.url ?? '/', 'http://socket.invalid').searchParams;
  // JSONP polling answers a <script> tag, which sends no Origin: it would bypass the origin check.
  if (query.has('j')) return 'JSONP polling is disabled';
  if (!hostAllowed(req.headers.host, policy.hostNames())) return 'unknown Host (http.allowedHosts)';
  if (!originAllowed(req, policy.allowedOrigins())) return 'foreign Origin';
  return null;
}

/** A refusal as the client sees it: a 403 on a polling request, a 403 before the socket closes on an upgrade. */
function refuse(res: ServerResponse, reason: string): void {
  const body = JSON.stringify({ code: 4, message: reason });
  if (res instanceof ServerResponse) {
    res.writeHead(403, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...SECURITY_HEADERS });
    res.end(body);
    return;
  }
  // An upgrade: engine.io hands middlewares a stand-in response over the raw socket.
  const socket = (res as unknown as { socket: Duplex }).socket;
  if (socket.writable)
    socket.write(
      `HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  socket.destroy();
}

/**
 * engine.io middleware, run on every request to `/socket.io/` — the handshake, every polling
 * request and every WebSocket upgrade, with or without a session id (engine.io's `allowRequest`
 * only sees handshakes, so a stolen `sid` upgraded from a foreign page would skip it). Sets the
 * security headers, drops untrusted forwarding headers, and refuses JSONP, unknown `Host` names and
 * foreign `Origin`s.
 */
export function engineGuard(policy: EngineGuardPolicy, log: Logger) {
  const shouldLog = logThrottle(60_000);
  return function engineGuard(req: IncomingMessage, res: ServerResponse, next: Next): void {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    dropUntrustedForwarding(req, policy.trustedProxies());
    const reason = socketRefusal(req, policy);
    if (reason === null) return next();
    if (shouldLog(reason))
      log.warn({ reason, origin: req.headers.origin, host: req.headers.host }, 'socket request refused; more are not logged for a minute');
    refuse(res, reason);
    next(new Error(reason));
  };
}
