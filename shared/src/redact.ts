/** What stands in for credentials taken out of a URL. */
export const REDACTED = '***';

const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i;

/**
 * The URL with its user info (`user:password@`) replaced by `***@`: what may be shown, stored or
 * sent of a probe's URL. Anything without user info comes back unchanged.
 */
export function redactUrl(url: string): string {
  return url.replace(USERINFO, `$1${REDACTED}@`);
}

/**
 * The user info of a URL (`admin:secret`) and its password, as written (percent-encoded) and
 * decoded, longest first: the strings a message about that URL must not contain.
 */
export function urlSecrets(url: string): string[] {
  const userinfo = USERINFO.exec(url)?.[2];
  if (!userinfo) return [];
  const colon = userinfo.indexOf(':');
  const parts = colon < 0 ? [userinfo] : [userinfo, userinfo.slice(colon + 1)];
  const decoded = parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  return [...new Set([...parts, ...decoded])].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
}
