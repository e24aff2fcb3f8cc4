import type { Middleware } from 'koa';
import { HttpError } from '../http/http-error.ts';
import { StoreUnavailableError } from './store.ts';

/**
 * For routes that answer from the history store: nothing cached, and the database away
 * (PostgreSQL cut off) a 503 to retry, not an internal error.
 */
export function storeAnswers(): Middleware {
  return async function storeAnswers(ctx, next) {
    ctx.set('Cache-Control', 'no-store');
    try {
      await next();
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw new HttpError(503, 'store_unavailable', err.message);
      throw err;
    }
  };
}
