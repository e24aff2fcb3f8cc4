import type Koa from 'koa';
import type { Logger } from '../logger.ts';
import { errorHandler } from './error-handler.ts';
import { securityHeaders } from './security-headers.ts';

/** Errors of a client that went away mid-response, not of the server. */
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/**
 * What every request of the monitor's app passes first: the one error handler, then the security
 * headers. Requests are taken as they come, never from proxy headers.
 */
export function httpEdge(app: Koa, log: Logger): void {
  app.proxy = false;
  // A client that goes away mid-response (a dashboard scrubbing a replay cancels requests on
  // purpose) is not a server error; anything else that escapes the error handler is logged.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code && CLIENT_GONE.has(err.code)) return;
    log.error({ err }, 'unhandled request error');
  });
  app.use(errorHandler((err, ctx) => log.error({ err, path: ctx.path }, 'request failed')));
  app.use(securityHeaders());
}
