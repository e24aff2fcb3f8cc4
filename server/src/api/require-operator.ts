import type { Middleware } from 'koa';
import { requireOperator } from './operator-auth.ts';

/**
 * Koa middleware that lets only operators through (401 otherwise). The one place the routes of
 * alerting and maintenance ask who may change things: when roles land, this becomes
 * `requireRole('operator')`.
 */
export function operatorOnly(tokens: () => readonly string[]): Middleware {
  return async function operatorOnly(ctx, next) {
    requireOperator(ctx.get('Authorization') || undefined, tokens());
    await next();
  };
}
