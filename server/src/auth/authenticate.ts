import type { Context, Middleware } from 'koa';
import { HttpError } from '../http/http-error.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { clientAddress } from '../http/client-address.ts';
import { TokensLocked, type Credentials } from './credentials.ts';
import { setPrincipalSource, type Principal } from './principal.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request that changes something, sent with the session cookie, comes from a page of
 * this server. `SameSite=Lax` already keeps the cookie off cross-site POSTs; this also refuses a
 * request from another site that does not need the cookie's help (a sibling subdomain is
 * same-site), by its `Origin`, or `Sec-Fetch-Site` when a browser sends no Origin.
 */
function sameOrigin(ctx: Context, allowedOrigins: readonly string[]): boolean {
  const origin = ctx.get('Origin');
  if (!origin) return ctx.get('Sec-Fetch-Site') !== 'cross-site';
  if (allowedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return url.host === ctx.host && url.protocol === `${ctx.protocol}:`;
  } catch {
    return false;
  }
}

/**
 * Makes who each request is from (`principalOf(ctx)`, see `credentials.ts`) known to the routes,
 * found when one first asks; the routes' `requireRole` decides what they may do. A session cookie
 * on a request that changes something must come from this server's own pages.
 */
export function authenticate(
  credentials: Credentials,
  allowedOrigins: () => readonly string[],
  trustedProxies: () => readonly string[],
): Middleware {
  return async function authenticate(ctx, next) {
    setPrincipalSource(ctx, async (): Promise<Principal | null> => {
      let principal: Principal | null;
      try {
        principal = await credentials.resolve({
          authorization: ctx.get('Authorization') || undefined,
          cookie: ctx.get('Cookie') || undefined,
          address: clientAddress(ctx.req, trustedProxies()),
        });
      } catch (err) {
        if (err instanceof TokensLocked) {
          ctx.set('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
          throw new HttpError(429, 'rate_limited', err.message);
        }
        if (err instanceof StoreUnavailableError)
          throw new HttpError(503, 'store_unavailable', 'sessions cannot be checked while the database is away');
        throw err;
      }
      if (principal?.credential.type === 'session' && !SAFE.has(ctx.method) && !sameOrigin(ctx, allowedOrigins()))
        throw new HttpError(403, 'forbidden', 'a signed-in request must come from this server’s own pages');
      return principal;
    });
    await next();
  };
}
