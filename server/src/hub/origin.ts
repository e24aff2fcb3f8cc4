import type { IncomingMessage } from 'node:http';

/**
 * Whether a socket.io handshake may proceed. Browsers always send `Origin` on cross-origin and
 * WebSocket requests: it must be this server's own origin or one listed in `http.allowedOrigins`.
 * Requests without `Origin` come from non-browser clients (CLI tools, tests) and are accepted;
 * they cannot carry a victim's cookies, and hqwatch uses none.
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const host = req.headers.host;
  return host !== undefined && url.host === host && (url.protocol === 'http:' || url.protocol === 'https:');
}
