import type { Context } from 'koa';

/** The one cookie of hqwatch: a signed session id, for people and kiosk displays alike. */
export const SESSION_COOKIE = 'hqwatch_session';

/** Browsers cap a cookie's life at 400 days; a kiosk display's is renewed whenever it asks who it is. */
export const KIOSK_COOKIE_MS = 400 * 86_400_000;

/**
 * Sets the session cookie: `HttpOnly` (no script reads it), `SameSite=Lax` (no cross-site
 * request sends it but a top-level navigation), `Secure` whenever the request came over HTTPS —
 * directly (`http.tls`) or through a trusted proxy that says so.
 */
export function setSessionCookie(ctx: Context, value: string, maxAgeMs: number): void {
  ctx.cookies.set(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.secure,
    path: '/',
    maxAge: maxAgeMs,
    overwrite: true,
  });
}

export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', maxAge: 0, overwrite: true });
}

/** The session cookie's value in a `Cookie` header (a socket's handshake has no Koa context). */
export function sessionCookieIn(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

/** The token of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | null {
  return /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1] ?? null;
}
