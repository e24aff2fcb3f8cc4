import Router from '@koa/router';
import type { Context } from 'koa';
import { loginInputSchema, USER_NAME, type Role, type WhoAmI } from '@hqwatch/shared';
import { clientAddress } from '../http/client-address.ts';
import { HttpError } from '../http/http-error.ts';
import { readJsonBody } from '../http/json-body.ts';
import { logThrottle } from '../http/log-throttle.ts';
import type { Logger } from '../logger.ts';
import type { AccountStore } from '../store/accounts.ts';
import { publicRoute } from './access.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './cookies.ts';
import type { LoginLimiter } from './login-limiter.ts';
import { dummyHash, HashQueueFull, verifyPassword } from './passwords.ts';
import { principalOf, viewOf } from './principal.ts';
import { secretHash } from './secrets.ts';
import type { Sessions } from './sessions.ts';
import type { TokenLockout } from './token-lockout.ts';

export interface AuthRoutesDeps {
  /** Null without a store: no logins, no kiosk displays. */
  accounts: { store: AccountStore; sessions: Sessions; limiter: LoginLimiter } | null;
  anonymous: () => Role | null;
  /** Wrong bearer tokens per client address: a wrong `?token=` on `/wall` is one more. */
  lockout: TokenLockout;
  /** `http.trustProxy`: whose `X-Forwarded-For` names the client (as for bearer tokens). */
  trustedProxies: () => readonly string[];
  log: Logger;
  now: () => number;
}

const LOGIN_BODY_MAX = 4 * 1024;

function noAccounts(): HttpError {
  return new HttpError(404, 'not_found', 'this server keeps no accounts (it has no history store)');
}

/** The wall's address again, without its token: `?kiosk=refused` tells the page a token was not taken. */
function wallWithout(ctx: Context, refused: boolean): string {
  const params = new URLSearchParams(ctx.querystring);
  params.delete('token');
  params.delete('kiosk');
  if (refused) params.set('kiosk', 'refused');
  const query = params.toString();
  return `/wall${query ? `?${query}` : ''}`;
}

/**
 * Signing in and out: `GET /api/auth/me` (who the server takes you for, and whether a login is
 * needed), `POST /api/auth/login`, `POST /api/auth/logout`, and `GET /wall?token=…`, where a kiosk
 * display trades its token for a session cookie once and is sent on to `/wall` without the token.
 * A wrong `?token=` counts with wrong bearer tokens toward the address's lockout (429 once locked),
 * and its warning is logged at most once a minute.
 */
export function authRoutes(deps: AuthRoutesDeps): Router {
  const router = new Router();
  const { log, lockout } = deps;
  const shouldLog = logThrottle(60_000);

  router.get('/api/auth/me', publicRoute(), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const principal = await principalOf(ctx);
    // A display's cookie is given its full life again each time it asks: a wall never ages out.
    const cookie = ctx.cookies.get(SESSION_COOKIE);
    if (principal?.credential.type === 'session' && principal.kind === 'kiosk' && cookie && deps.accounts)
      setSessionCookie(ctx, cookie, deps.accounts.sessions.cookieMaxAge('kiosk'));
    const body: WhoAmI = { principal: principal ? viewOf(principal) : null, anonymous: deps.anonymous() };
    ctx.body = body;
  });

  router.post('/api/auth/login', publicRoute(), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (!deps.accounts) throw noAccounts();
    const { store, sessions, limiter } = deps.accounts;
    if (!ctx.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'send the login as application/json');
    const input = loginInputSchema.safeParse(await readJsonBody(ctx.req, LOGIN_BODY_MAX));
    if (!input.success) throw new HttpError(400, 'bad_request', 'send {"name": …, "password": …}');
    const name = input.data.name.trim().toLowerCase();
    const address = ctx.ip;
    const wait = await limiter.waitFor(name, address);
    if (wait > 0) {
      ctx.set('Retry-After', String(Math.ceil(wait / 1000)));
      throw new HttpError(429, 'rate_limited', 'too many failed sign-ins; try again later');
    }
    // An unknown name is checked against a dummy hash: the same work, the same answer, the same time.
    const user = USER_NAME.test(name) ? await store.getUser(name) : null;
    let ok: boolean;
    try {
      ok = await verifyPassword(input.data.password, user?.passwordHash ?? (await dummyHash()));
    } catch (err) {
      if (!(err instanceof HashQueueFull)) throw err;
      ctx.set('Retry-After', '1');
      throw new HttpError(429, 'rate_limited', 'too many sign-ins at once; try again in a second');
    }
    if (!user || !ok) {
      await limiter.fail(name, address);
      log.warn({ address }, 'sign-in failed');
      throw new HttpError(401, 'unauthorized', 'wrong name or password');
    }
    await limiter.succeed(name);
    // Never keep a session id the browser brought: a new one at each login (no fixation).
    const previous = ctx.cookies.get(SESSION_COOKIE);
    if (previous) await sessions.end(previous);
    const { cookie } = await sessions.start('user', user.name, user.role);
    setSessionCookie(ctx, cookie, sessions.cookieMaxAge('user'));
    log.info({ user: user.name, role: user.role, address }, 'signed in');
    const body: WhoAmI = { principal: { kind: 'user', name: user.name, role: user.role }, anonymous: deps.anonymous() };
    ctx.body = body;
  });

  router.post('/api/auth/logout', publicRoute(), async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const cookie = ctx.cookies.get(SESSION_COOKIE);
    if (cookie && deps.accounts) await deps.accounts.sessions.end(cookie);
    clearSessionCookie(ctx);
    ctx.status = 204;
  });

  router.get('/wall', publicRoute(), async (ctx, next) => {
    const token = ctx.query.token;
    if (typeof token !== 'string') return next();
    ctx.set('Cache-Control', 'no-store');
    if (!deps.accounts) throw noAccounts();
    const { store, sessions } = deps.accounts;
    const address = clientAddress(ctx.req, deps.trustedProxies());
    // Locked out for guessing: the token is not even checked, so a right guess now gains nothing.
    const locked = lockout.lockedFor(address);
    if (locked > 0) {
      ctx.set('Retry-After', String(Math.ceil(locked / 1000)));
      throw new HttpError(429, 'rate_limited', 'too many wrong tokens from this address; retry later');
    }
    const kiosk = await store.kioskByTokenHash(secretHash(token));
    if (!kiosk) {
      lockout.failed(address);
      if (shouldLog('kiosk token refused')) log.warn({ address }, 'kiosk token refused; more refusals are not logged for a minute');
      ctx.redirect(wallWithout(ctx, true));
      ctx.status = 303;
      return;
    }
    lockout.succeeded(address);
    const previous = ctx.cookies.get(SESSION_COOKIE);
    if (previous) await sessions.end(previous);
    const { cookie } = await sessions.start('kiosk', kiosk.name, 'viewer');
    await store.touchKiosks([kiosk.name], deps.now());
    setSessionCookie(ctx, cookie, sessions.cookieMaxAge('kiosk'));
    log.info({ kiosk: kiosk.name, address }, 'kiosk display signed in');
    ctx.redirect(wallWithout(ctx, false));
    ctx.status = 303;
  });

  return router;
}
