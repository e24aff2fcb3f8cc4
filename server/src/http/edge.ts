import type Koa from 'koa';
import type { Logger } from '../logger.ts';
import { dropUntrustedForwarding } from './client-address.ts';
import { errorHandler } from './error-handler.ts';
import { hostAllowed, type HostNames } from './host-check.ts';
import { HttpError } from './http-error.ts';
import { logThrottle } from './log-throttle.ts';
import { securityHeaders } from './security-headers.ts';

/** Errors of a client that went away mid-response, not of the server. */
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'EPIPE']);

/** Who may reach the server: read on every request, so a reloaded config applies at once. */
export interface EdgePolicy {
  hostNames: () => HostNames;
  trustedProxies: () => readonly string[];
}

/**
 * What every request of the monitor's app passes first: the one error handler, the security
 * headers, forwarding headers dropped unless a trusted proxy sent them, then the `Host` check
 * (DNS rebinding). Koa believes `X-Forwarded-*` (`app.proxy`) only with trusted proxies configured,
 * and then only from them; `maxIpsCount` 1 takes the address the proxy itself appended.
 */
export function httpEdge(app: Koa, log: Logger, policy: EdgePolicy): void {
  app.maxIpsCount = 1;
  const shouldLog = logThrottle(60_000);
  // A client that goes away mid-response (a dashboard scrubbing a replay cancels requests on
  // purpose) is not a server error; anything else that escapes the error handler is logged.
  app.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code && CLIENT_GONE.has(err.code)) return;
    log.error({ err }, 'unhandled request error');
  });
  app.use(errorHandler((err, ctx) => log.error({ err, path: ctx.path }, 'request failed')));
  app.use(securityHeaders());
  app.use(async function knownHost(ctx, next) {
    const trusted = policy.trustedProxies();
    app.proxy = trusted.length > 0;
    dropUntrustedForwarding(ctx.req, trusted);
    if (!hostAllowed(ctx.get('Host') || undefined, policy.hostNames())) {
      if (shouldLog('host'))
        log.warn(
          { host: ctx.get('Host'), path: ctx.path },
          'request refused: unknown Host (add it to http.allowedHosts); more are not logged for a minute',
        );
      throw new HttpError(403, 'forbidden', 'this server is not known by that host name (http.allowedHosts)');
    }
    await next();
  });
}
