import type { Middleware } from 'koa';

/**
 * Headers for a dashboard that loads only its own scripts and talks only to its own origin.
 * `connect-src 'self'` covers same-origin WebSockets (CSP3; every current browser): no `ws:`/`wss:`
 * wildcard lets a page open sockets to other hosts. The same headers go on the socket's own
 * responses (`hub/engine-guard.ts`).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    // Vue binds inline style attributes (bar widths, colours); no inline script is allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // No other site's window keeps a handle on the dashboard, and no other site may embed its answers.
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

/** Sets {@link SECURITY_HEADERS} on every answer of the Koa app, errors included. */
export function securityHeaders(): Middleware {
  return async function securityHeaders(ctx, next) {
    ctx.set(SECURITY_HEADERS);
    await next();
  };
}
