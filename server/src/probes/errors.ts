/** Readable reasons for the errno codes a probe meets, as an operator would say them. */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_NONAME: 'host not found',
  EAI_NODATA: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  EHOSTUNREACH: 'host unreachable',
  EHOSTDOWN: 'host down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network down',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'no local address available for this target',
  EPIPE: 'connection closed while sending',
  EACCES: 'not permitted',
  EPERM: 'not permitted',
  EMSGSIZE: 'message too large',
};

/** Turns a socket, DNS or child-process error into a short readable reason. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code ? REASONS[code] : undefined;
  if (!reason) return err.message;
  const host = (err as { hostname?: unknown }).hostname;
  return reason === 'host not found' && typeof host === 'string' ? `host not found: ${host}` : reason;
}

/**
 * Error codes that only the probed host can cause: it received the packet and said no. A refused
 * TCP connection is its RST; on a connected UDP socket it is its ICMP port-unreachable. A reset
 * after connecting means the connection existed.
 */
const HOST_ANSWERED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

/** Whether a socket error is evidence that the host is up (see {@link HOST_ANSWERED}). */
export function hostAnsweredWith(err: unknown): boolean {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return code !== undefined && HOST_ANSWERED.has(code);
}
