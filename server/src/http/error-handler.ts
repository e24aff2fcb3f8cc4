import type { Context, Middleware } from 'koa';
import type { ApiError } from '@hqwatch/shared';
import { HttpError, type ErrorCode } from './http-error.ts';

/** Codes for the 4xx errors Koa and its helpers raise themselves (bad URI encoding, traversal). */
const KNOWN_CLIENT_ERRORS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toApiError(err: unknown): { status: number; body: ApiError } {
  if (err instanceof HttpError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } } };
  }
  const status = typeof (err as { status?: unknown })?.status === 'number' ? (err as { status: number }).status : 500;
  const code = KNOWN_CLIENT_ERRORS[status];
  if (code) return { status, body: { error: { code, message: code.replace(/_/g, ' ') } } };
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

/**
 * The one error handler, first in the chain of both Koa apps: every error, an unmatched route and
 * a method the route does not take become a JSON body with a known code. Only errors answered 500
 * are reported, to `onInternal`; their stack traces never reach the client.
 */
export function errorHandler(onInternal: (err: unknown, ctx: Context) => void): Middleware {
  return async function errorHandler(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) throw new HttpError(404, 'not_found', `no route for ${ctx.method} ${ctx.path}`);
      if (ctx.status === 405 && ctx.body == null)
        throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}`);
    } catch (err) {
      const { status, body } = toApiError(err);
      if (status >= 500) onInternal(err, ctx);
      ctx.status = status;
      ctx.body = body;
    }
  };
}
