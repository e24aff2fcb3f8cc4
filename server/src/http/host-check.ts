import { isIpv4, isIpv6 } from '@hqwatch/shared';

/** The names a server may be reached by, besides IP literals and `localhost`. */
export interface HostNames {
  /** The address `serve` listens on, when it is a name. */
  listenHost?: string;
  /** `http.publicUrl`. */
  publicUrl?: string;
  /** `http.allowedHosts`: names, or `.domain` for a domain and every name under it. */
  allowedHosts: readonly string[];
}

/** The host name of a `Host` header (`name:8080`, `[::1]:8080`), lower case, without a final dot. */
export function hostOfHeader(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  const host = bracketed ? bracketed[1]! : header.replace(/:\d*$/, '');
  return host.toLowerCase().replace(/\.$/, '');
}

function hostOfUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return hostOfHeader(new URL(url).host);
  } catch {
    return null;
  }
}

/**
 * Whether a request's `Host` names this server, against DNS rebinding: a page on a name the
 * attacker controls, its DNS then pointed at this server, is same-origin with it and could read
 * `/api/*` and the socket, but its requests carry the attacker's name in `Host`.
 *
 * IP literals always pass: a rebinding needs a name, and a page whose origin is an IP address was
 * served from that address. `localhost` and names under `.localhost` (RFC 6761: never resolved
 * elsewhere) pass, as do the listen address, `http.publicUrl`'s host and `http.allowedHosts`.
 * A request without `Host` (HTTP/1.0 tools) comes from no browser and passes.
 */
export function hostAllowed(header: string | undefined, names: HostNames): boolean {
  if (header === undefined) return true;
  const host = hostOfHeader(header);
  if (host === '') return false;
  if (isIpv4(host) || isIpv6(host)) return true;
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const known = [names.listenHost?.toLowerCase(), hostOfUrl(names.publicUrl)];
  if (known.includes(host)) return true;
  return names.allowedHosts.some((allowed) => {
    const name = allowed.toLowerCase().replace(/\.$/, '');
    return name.startsWith('.') ? host === name.slice(1) || host.endsWith(name) : host === name;
  });
}
