import type { Middleware } from 'koa';
import { clientAddress } from '../http/client-address.ts';
import { HttpError } from '../http/http-error.ts';
import { Lockout } from '../http/rate-limit.ts';
import { isOperator } from './operator-auth.ts';

/** Wrong operator tokens per client address before a lockout, the window they count in, and its length. */
export interface OperatorLimits {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export const DEFAULT_OPERATOR_LIMITS: OperatorLimits = { maxFailures: 5, windowMs: 5 * 60_000, lockMs: 5 * 60_000 };

/**
 * Middleware for the routes that need an operator token: 401 on a wrong or missing token, and
 * after `maxFailures` wrong ones from one address within `windowMs`, 429 for `lockMs` whatever the
 * token (a right guess during the lockout is not even checked). The address is the TCP peer unless
 * a trusted proxy forwarded the request: a client cannot escape by writing `X-Forwarded-For`.
 */
export function operatorOnly(deps: {
  tokens: () => readonly string[];
  trustedProxies: () => readonly string[];
  limits: OperatorLimits;
}): Middleware {
  const lockout = new Lockout(deps.limits);
  return async function operatorOnly(ctx, next) {
    const client = clientAddress(ctx.req, deps.trustedProxies());
    const locked = lockout.lockedFor(client);
    if (locked > 0) {
      ctx.set('Retry-After', String(Math.ceil(locked / 1000)));
      throw new HttpError(429, 'rate_limited', 'too many wrong operator tokens from this address; retry later');
    }
    const authorization = ctx.get('Authorization') || undefined;
    if (!isOperator(authorization, deps.tokens())) {
      // Only a token tried counts: opening the form without one is no guess.
      if (authorization !== undefined) lockout.fail(client);
      throw new HttpError(401, 'unauthorized', 'an operator token is required');
    }
    lockout.succeed(client);
    await next();
  };
}
