import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { HqwatchConfig } from '@hqwatch/shared';
import type { HqwatchIo } from '../hub/hub.ts';
import type { Logger } from '../logger.ts';
import type { AccountStore } from '../store/accounts.ts';
import { accountAdmin, type AccountAdmin } from './account-admin.ts';
import { adminRoutes, type ReloadOutcome } from './admin.routes.ts';
import { authRoutes } from './auth.routes.ts';
import { authenticate } from './authenticate.ts';
import { createCredentials } from './credentials.ts';
import { createLoginLimiter } from './login-limiter.ts';
import { createSessions } from './sessions.ts';
import { socketAuth, type SocketAuth } from './socket-auth.ts';
import { tokenLockout, type OperatorLimits } from './token-lockout.ts';

export interface AuthDeps {
  /** The running config: `auth` (anonymous access, operator tokens, lifetimes) and `http.allowedOrigins`. */
  config: () => HqwatchConfig;
  /** Users, displays and sessions; null without a store (then only config tokens and anonymous access). */
  accounts: AccountStore | null;
  /** HQWATCH_OPERATOR_TOKEN. */
  envOperatorToken?: string;
  /** Origins whose pages may send the session cookie with a change (besides the server's own). */
  allowedOrigins: () => readonly string[];
  /** `http.trustProxy`: whose `X-Forwarded-For` names the client. */
  trustedProxies: () => readonly string[];
  /** Wrong bearer tokens per address before a lockout. */
  tokenLimits: OperatorLimits;
  reloadConfig?: () => Promise<ReloadOutcome>;
  log: Logger;
  /** Wall clock, ms. */
  now: () => number;
}

export interface Auth {
  /** Goes before every route: makes `principalOf(ctx)` known to them. */
  middleware: Middleware;
  /** Sign-in and the admin API. */
  routers: Router[];
  /** Authenticates the live socket (handshake and every packet) and ends revoked sockets. */
  attach(io: HqwatchIo): void;
  /** Managing users and displays (the demo's logins); null without a store. */
  admin: AccountAdmin | null;
  /** Checks every socket's access now: after a config change or a revocation made here. */
  revalidate(): Promise<void>;
  close(): void;
}

/** Accounts, sessions and access control, wired: see `README.md` in this folder. */
export function createAuth(deps: AuthDeps): Auth {
  const { accounts, log, now } = deps;
  const operatorTokens = () => [...deps.config().auth.operatorTokens, ...(deps.envOperatorToken ? [deps.envOperatorToken] : [])];
  const anonymous = () => deps.config().auth.anonymous ?? null;
  const sessions = accounts ? createSessions({ accounts, lifetimes: () => deps.config().auth.session, now, log }) : null;
  const lockout = tokenLockout(deps.tokenLimits);
  const credentials = createCredentials({ sessions, accounts, operatorTokens, anonymous, lockout, now });
  let sockets: SocketAuth | null = null;
  const revalidate = () => sockets?.revalidate() ?? Promise.resolve();
  const admin = accounts ? accountAdmin(accounts, now, () => void revalidate()) : null;
  return {
    middleware: authenticate(credentials, deps.allowedOrigins, deps.trustedProxies),
    routers: [
      authRoutes({
        accounts: accounts && sessions ? { store: accounts, sessions, limiter: createLoginLimiter(accounts, now) } : null,
        anonymous,
        lockout,
        trustedProxies: deps.trustedProxies,
        log,
        now,
      }),
      adminRoutes({ admin, reloadConfig: deps.reloadConfig, log }),
    ],
    attach(io) {
      sockets = socketAuth(io, { credentials, accounts, trustedProxies: deps.trustedProxies, log });
    },
    admin,
    revalidate,
    close: () => sockets?.close(),
  };
}
