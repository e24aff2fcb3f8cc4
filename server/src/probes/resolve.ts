import dns from 'node:dns';
import net from 'node:net';

/**
 * RFC 6761 §6.4: `.invalid` names never resolve, and resolvers should say so at once instead of
 * asking a DNS server. Doing it here keeps such probes from waiting on the network.
 */
function isInvalidName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'invalid' || name.endsWith('.invalid');
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
}

/** A drop-in `lookup` for `net.connect` and `http.request` that answers `.invalid` names locally. */
export const lookupHost: net.LookupFunction = (hostname, options, callback) => {
  if (isInvalidName(hostname)) {
    process.nextTick(callback, notFound(hostname), options.all ? [] : '', 0);
    return;
  }
  dns.lookup(hostname, options, callback);
};

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** One address for a host name or IP literal; IP literals are answered without a lookup. */
export function resolveAddress(host: string): Promise<ResolvedAddress> {
  const literal = net.isIP(host);
  if (literal === 4 || literal === 6) return Promise.resolve({ address: host, family: literal });
  return new Promise((resolve, reject) => {
    lookupHost(host, { all: false }, (err, address, family) => {
      if (err) reject(err);
      else resolve({ address: address as string, family: family === 6 ? 6 : 4 });
    });
  });
}

/** `host:port`, with brackets around an IPv6 literal as URLs write it. */
export function hostPort(host: string, port: number): string {
  return `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}
