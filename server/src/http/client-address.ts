import type { IncomingMessage } from 'node:http';

/** An IPv4 peer as Node may show it on a dual-stack socket (`::ffff:10.0.0.5`), in its plain form. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'forwarded', 'x-real-ip'];

/** Whether the TCP peer of `req` is one of the configured reverse proxies. */
export function fromTrustedProxy(req: Pick<IncomingMessage, 'socket'>, trustedProxies: readonly string[]): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trustedProxies.map(plain).includes(plain(peer));
}

/**
 * Removes the forwarding headers of a request that did not come from a trusted proxy: anyone can
 * write `X-Forwarded-For`, and nothing downstream (Koa's `ctx.ip`, `ctx.protocol`) may believe it.
 */
export function dropUntrustedForwarding(req: IncomingMessage, trustedProxies: readonly string[]): void {
  if (fromTrustedProxy(req, trustedProxies)) return;
  for (const name of FORWARDED) delete req.headers[name];
}

/**
 * The address a request comes from: the TCP peer, or, when the peer is a trusted proxy, the
 * nearest address in `X-Forwarded-For` that is not itself a trusted proxy (entries further left
 * were written by the client and prove nothing). Rate limits and lockouts are keyed by it.
 */
export function clientAddress(req: Pick<IncomingMessage, 'socket' | 'headers'>, trustedProxies: readonly string[]): string {
  const peer = plain(req.socket.remoteAddress ?? 'unknown');
  if (!fromTrustedProxy(req, trustedProxies)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => plain(hop.trim()))
    .filter((hop) => hop !== '');
  const trusted = trustedProxies.map(plain);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.includes(hops[i]!)) return hops[i]!;
  return peer;
}
