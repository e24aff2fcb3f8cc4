import type { Socket } from 'socket.io';
import { roleAllows, type ClientToServerEvents, type Role } from '@hqwatch/shared';
import type { HqwatchIo } from '../hub/hub.ts';
import type { Logger } from '../logger.ts';
import type { AccountStore } from '../store/accounts.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { clientAddress } from '../http/client-address.ts';
import { TokensLocked, type Credentials } from './credentials.ts';
import type { Principal } from './principal.ts';

/**
 * The role each client command needs. Typed against the contract: a command added to
 * `ClientToServerEvents` without a rule here does not compile, and an event not listed is dropped.
 */
export const SOCKET_EVENT_ACCESS: { readonly [E in keyof ClientToServerEvents]: Role } = {
  'state:sync': 'viewer',
};

/** How often the shared revision is read while sockets that a revocation could end are connected. */
const POLL_MS = 250;
/** How often every connected socket's access is checked anyway: expiries, and a revision missed while the database was away. */
const FULL_CHECK_MS = 30_000;

interface AuthData {
  principal?: Principal;
}

/** Who a socket was authenticated as at its handshake (null for one that never passed it). */
export function socketPrincipal(socket: Pick<Socket, 'data'>): Principal | null {
  return (socket.data as AuthData | undefined)?.principal ?? null;
}

/** For a handler that decides within an event: whether the socket's principal has `role`. */
export function socketAllows(socket: Pick<Socket, 'data'>, role: Role): boolean {
  return roleAllows(socketPrincipal(socket)?.role, role);
}

function refusal(code: 'unauthorized' | 'store_unavailable' | 'rate_limited'): Error {
  return Object.assign(new Error(code), { data: { code } });
}

const revocable = (p: Principal) => p.credential.type === 'session' || p.credential.type === 'kiosk-token';

export interface SocketAuth {
  /** Checks every connected socket now and disconnects those whose access was taken away. */
  revalidate(): Promise<void>;
  close(): void;
}

/**
 * Authentication of the live socket: the handshake carries the session cookie (a browser) or a
 * bearer token (a script), else anonymous access applies; without any, the connection is refused
 * (`connect_error` "unauthorized"). Each command is checked against `SOCKET_EVENT_ACCESS` before any
 * handler sees it (anything else is the hub guard's to drop). Sockets whose access is revoked — here, by another instance on the same
 * database, or by the CLI — are disconnected within a second: the shared revision is read every
 * 250 ms while such sockets are connected.
 */
export function socketAuth(
  io: HqwatchIo,
  deps: { credentials: Credentials; accounts: AccountStore | null; trustedProxies: () => readonly string[]; log: Logger },
): SocketAuth {
  const { credentials, accounts, log } = deps;
  const connected = new Set<Socket>();
  let revision: number | null = null;
  let lastFull = 0;
  let running: Promise<void> | null = null;
  let again = false;
  let polling = false;

  io.use(async (socket, next) => {
    let principal: Principal | null;
    try {
      const headers = socket.handshake.headers;
      const address = clientAddress(socket.request, deps.trustedProxies());
      principal = await credentials.resolve({ authorization: headers.authorization, cookie: headers.cookie, address });
    } catch (err) {
      if (err instanceof StoreUnavailableError) return next(refusal('store_unavailable'));
      if (err instanceof TokensLocked) return next(refusal('rate_limited'));
      log.error({ err }, 'socket authentication failed');
      return next(refusal('unauthorized'));
    }
    if (!principal) return next(refusal('unauthorized'));
    (socket.data as AuthData).principal = principal;
    const seen = revision;
    socket.use(([event], nextPacket) => {
      // What is not a command at all goes on to the hub's guard, which drops it and counts it
      // against the socket's packet rate; a command the role does not allow is dropped here, unanswered.
      if (!Object.prototype.hasOwnProperty.call(SOCKET_EVENT_ACCESS, event)) return nextPacket();
      if (socketAllows(socket, SOCKET_EVENT_ACCESS[event as keyof ClientToServerEvents])) return nextPacket();
      log.debug({ event: String(event), role: principal.role }, 'socket packet dropped: not allowed');
    });
    socket.once('disconnect', () => connected.delete(socket));
    connected.add(socket);
    // A revocation read between this handshake and now: check again rather than wait.
    if (revision !== seen) void revalidate();
    next();
  });

  async function check(): Promise<void> {
    const sockets = [...connected];
    if (sockets.length === 0) return;
    const revoked = await credentials.revoked(sockets.map((s) => socketPrincipal(s)!));
    for (const socket of sockets) {
      const principal = socketPrincipal(socket)!;
      if (!revoked.has(principal)) continue;
      log.info({ kind: principal.kind, name: principal.name }, 'access revoked: socket disconnected');
      connected.delete(socket);
      socket.disconnect(true);
    }
  }

  function revalidate(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        lastFull = Date.now();
        await check().catch((err: unknown) => log.warn({ err }, 'socket access not checked'));
      } while (again);
    })().finally(() => (running = null));
    return running;
  }

  const timer = setInterval(() => {
    if (polling || running || !accounts || ![...connected].some((s) => revocable(socketPrincipal(s)!))) return;
    polling = true;
    void accounts
      .revision()
      .then(
        (now) => {
          const changed = now !== revision;
          revision = now;
          if (changed || Date.now() - lastFull >= FULL_CHECK_MS) void revalidate();
        },
        () => undefined, // the database away: sockets keep their access until it answers
      )
      .finally(() => (polling = false));
  }, POLL_MS);
  timer.unref();

  return {
    revalidate,
    close: () => clearInterval(timer),
  };
}
