/** What a probe can connect to: an IPv4 or IPv6 address, or a host name. No I/O: the config check is pure. */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Dotted-quad IPv4, each part 0–255 without leading zeros (which some resolvers read as octal). */
export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** IPv6 in any of its textual forms (RFC 4291 §2.2), with an optional zone (`fe80::1%eth0`). */
export function isIpv6(text: string): boolean {
  const [address = '', zone, extra] = text.split('%');
  if (extra !== undefined || zone === '' || (zone !== undefined && !/^[\w.-]+$/.test(zone))) return false;
  let groups = address;
  let tailGroups = 0;
  // An embedded IPv4 tail (`::ffff:10.1.0.10`) stands for two groups.
  const lastColon = address.lastIndexOf(':');
  if (address.slice(lastColon + 1).includes('.')) {
    if (!isIpv4(address.slice(lastColon + 1))) return false;
    groups = address.slice(0, lastColon + 1) + '0';
    tailGroups = 1;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const parts = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (!parts.every((list) => list.every((group) => /^[0-9a-f]{1,4}$/i.test(group)))) return false;
  const count = parts.reduce((sum, list) => sum + list.length, 0) + tailGroups;
  return halves.length === 2 ? count <= 7 : count === 8;
}

/**
 * A DNS host name (RFC 1123): dot-separated labels of letters, digits and hyphens, none starting or
 * ending with a hyphen, at most 63 characters each and 253 in all, an optional final dot.
 * Underscores are accepted, as Windows networks (a ShoreWare server's home) often have them and
 * resolvers serve them. A name made only of digits and dots must be a valid IPv4 address instead:
 * `10.1.0.300` is a typo, not a host name.
 */
export function isHostName(text: string): boolean {
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  if (!labels.every((label) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/i.test(label))) return false;
  return !labels.every((label) => /^\d+$/.test(label));
}

/** An IPv4 or IPv6 address, or a host name. */
export function isHost(text: string): boolean {
  return isIpv4(text) || isIpv6(text) || isHostName(text);
}

/** The message for a value that is none of them, as `check-config` prints it after the path. */
export function notAHostMessage(text: string): string {
  return `"${text}" is not an IPv4 or IPv6 address or a host name`;
}
