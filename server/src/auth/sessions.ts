import type { Role } from '@hqwatch/shared';
import type { Logger } from '../logger.ts';
import type { AccountStore, SessionKind, SessionRow } from '../store/accounts.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { KIOSK_COOKIE_MS } from './cookies.ts';
import { randomSecret, secretHash, sign, unsign } from './secrets.ts';

export interface SessionLifetimes {
  /** A user session unused this long has ended (ms). */
  idle: number;
  /** A user session this old has ended, used or not (ms). */
  absolute: number;
}

/** A session's last use is written at most this often: a dashboard's requests need not each write. */
const TOUCH_MS = 60_000;
/** While the database is away, a session checked this recently is still honoured (from memory). */
const OUTAGE_GRACE_MS = 10 * 60_000;
const CACHE_MAX = 10_000;

export interface Sessions {
  /** Loads (or makes) the shared cookie key; every other call waits for it. */
  ready(): Promise<void>;
  /** A new session with a new secret: the cookie value to set, and its stored row. */
  start(kind: SessionKind, subject: string, role: Role): Promise<{ cookie: string; row: SessionRow }>;
  /** The live session a cookie value names, or null (not signed by us, unknown, ended, expired). */
  resolve(cookie: string): Promise<SessionRow | null>;
  /** Ends the session a cookie value names, if any. */
  end(cookie: string): Promise<void>;
  /** Whether a stored session has outlived the lifetimes (kiosk sessions live until revoked). */
  expired(row: Pick<SessionRow, 'kind' | 'createdAt' | 'lastSeenAt'>, nowMs: number): boolean;
  /** How long the browser keeps the cookie. */
  cookieMaxAge(kind: SessionKind): number;
}

/**
 * Sessions kept in the store: the cookie carries a random secret and its signature, the database
 * the secret's SHA-256 with who it is for and when it was made and last used. Lifetimes are read
 * from the config at each check, so a reloaded config applies to sessions already open.
 */
export function createSessions(deps: {
  accounts: AccountStore;
  lifetimes: () => SessionLifetimes;
  now: () => number;
  log: Logger;
}): Sessions {
  const { accounts, now, log } = deps;
  let key: string | null = null;
  let loading: Promise<void> | null = null;
  // Loaded at once; a database away at start is asked again by the first call that needs the key.
  const ready = async (): Promise<void> => {
    if (key !== null) return;
    loading ??= accounts
      .cookieKey(randomSecret())
      .then((k) => void (key = k))
      .finally(() => (loading = null));
    await loading;
  };
  void ready().catch(() => undefined);
  const checked = new Map<string, { row: SessionRow; at: number }>();

  function remember(row: SessionRow): void {
    checked.delete(row.id);
    checked.set(row.id, { row, at: now() });
    if (checked.size > CACHE_MAX) checked.delete(checked.keys().next().value!);
  }

  function expired(row: Pick<SessionRow, 'kind' | 'createdAt' | 'lastSeenAt'>, nowMs: number): boolean {
    if (row.kind === 'kiosk') return false;
    const { idle, absolute } = deps.lifetimes();
    return nowMs - row.createdAt >= absolute || nowMs - row.lastSeenAt >= idle;
  }

  function idOf(cookie: string): string | null {
    const secret = key === null ? null : unsign(cookie, key);
    return secret === null ? null : secretHash(secret);
  }

  async function lookup(id: string): Promise<SessionRow | null> {
    try {
      const row = await accounts.getSession(id);
      if (row) remember(row);
      else checked.delete(id);
      return row;
    } catch (err) {
      const known = checked.get(id);
      if (err instanceof StoreUnavailableError && known && now() - known.at < OUTAGE_GRACE_MS) return known.row;
      throw err;
    }
  }

  return {
    ready,
    async start(kind, subject, role) {
      await ready();
      const secret = randomSecret();
      const at = now();
      const row: SessionRow = { id: secretHash(secret), kind, subject, role, createdAt: at, lastSeenAt: at };
      await accounts.createSession(row);
      remember(row);
      if (kind === 'user') {
        const { idle, absolute } = deps.lifetimes();
        // Now and then, the sessions nobody came back to go.
        void accounts.pruneSessions(at - absolute, at - idle).catch(() => undefined);
      }
      return { cookie: sign(secret, key!), row };
    },
    async resolve(cookie) {
      await ready();
      const id = idOf(cookie);
      if (id === null) return null;
      const row = await lookup(id);
      if (!row) return null;
      const at = now();
      if (expired(row, at)) {
        checked.delete(id);
        await accounts.endSession(id).catch(() => undefined);
        return null;
      }
      if (at - row.lastSeenAt >= TOUCH_MS) {
        row.lastSeenAt = at;
        try {
          await accounts.touchSessions([id], at);
          if (row.kind === 'kiosk') await accounts.touchKiosks([row.subject], at);
        } catch (err) {
          log.debug({ err }, 'session last use not written');
        }
      }
      return row;
    },
    async end(cookie) {
      await ready();
      const id = idOf(cookie);
      if (id === null) return;
      checked.delete(id);
      await accounts.endSession(id);
    },
    expired,
    cookieMaxAge: (kind) => (kind === 'kiosk' ? KIOSK_COOKIE_MS : deps.lifetimes().absolute),
  };
}
