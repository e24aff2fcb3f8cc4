import type { Role } from '@hqwatch/shared';
import type { AccountStore } from '../store/accounts.ts';
import { bearerToken, sessionCookieIn } from './cookies.ts';
import type { Principal } from './principal.ts';
import { matchesAny, secretHash } from './secrets.ts';
import type { Sessions } from './sessions.ts';
import type { TokenLockout } from './token-lockout.ts';

/** A kiosk display's last use is written at most this often. */
const KIOSK_TOUCH_MS = 60_000;

export interface CredentialSources {
  /** Null without a store: then only tokens from the config and anonymous access exist. */
  sessions: Sessions | null;
  accounts: AccountStore | null;
  operatorTokens: () => readonly string[];
  /** `auth.anonymous`, read at each check. */
  anonymous: () => Role | null;
  /** Wrong bearer tokens per client address. */
  lockout: TokenLockout;
  now: () => number;
}

/** A bearer token from an address locked out for guessing: not even checked. */
export class TokensLocked extends Error {
  constructor(readonly retryAfterMs: number) {
    super('too many wrong tokens from this address; retry later');
    this.name = 'TokensLocked';
  }
}

export interface PresentedCredentials {
  authorization?: string;
  cookie?: string;
  /** The client's address (its lockout for wrong tokens). */
  address: string;
}

export interface Credentials {
  /**
   * Who the headers of a request or a socket handshake are from: a bearer token (an operator token,
   * or a kiosk display's), else the session cookie, else anonymous access when the config grants
   * it; null when none of these holds. A wrong token counts against the address (and falls through
   * to the cookie); from an address locked out, a token rejects with TokensLocked.
   */
  resolve(presented: PresentedCredentials): Promise<Principal | null>;
  /**
   * Which of these principals have lost their access since (a session ended, expired or revoked, a
   * display revoked, a token or anonymous access taken out of the config). A principal the
   * database cannot answer for now keeps its access.
   */
  revoked(principals: readonly Principal[]): Promise<Set<Principal>>;
}

export function createCredentials(src: CredentialSources): Credentials {
  const kioskSeen = new Map<string, number>();

  function touchKiosk(name: string): void {
    const at = src.now();
    if (at - (kioskSeen.get(name) ?? 0) < KIOSK_TOUCH_MS) return;
    kioskSeen.set(name, at);
    void src.accounts?.touchKiosks([name], at).catch(() => undefined);
  }

  async function fromBearer(token: string): Promise<Principal | null> {
    if (matchesAny(token, src.operatorTokens()) >= 0)
      return { kind: 'token', name: null, role: 'operator', credential: { type: 'operator-token', token } };
    if (!src.accounts || !token.startsWith('hqk_')) return null;
    const tokenHash = secretHash(token);
    const kiosk = await src.accounts.kioskByTokenHash(tokenHash);
    if (!kiosk) return null;
    touchKiosk(kiosk.name);
    return { kind: 'kiosk', name: kiosk.name, role: 'viewer', credential: { type: 'kiosk-token', name: kiosk.name, tokenHash } };
  }

  async function fromCookie(cookie: string): Promise<Principal | null> {
    const row = await src.sessions?.resolve(cookie);
    if (!row) return null;
    return {
      kind: row.kind,
      name: row.subject,
      role: row.kind === 'kiosk' ? 'viewer' : row.role,
      credential: { type: 'session', id: row.id, kind: row.kind, subject: row.subject, createdAt: row.createdAt },
    };
  }

  function anonymous(): Principal | null {
    const role = src.anonymous();
    return role ? { kind: 'anonymous', name: null, role, credential: { type: 'anonymous' } } : null;
  }

  async function revokedSessions(principals: readonly Principal[], out: Set<Principal>): Promise<void> {
    const ids = [...new Set(principals.flatMap((p) => (p.credential.type === 'session' ? [p.credential.id] : [])))];
    if (ids.length === 0 || !src.accounts || !src.sessions) return;
    const rows = new Map((await src.accounts.sessions(ids)).map((row) => [row.id, row]));
    const at = src.now();
    const alive: string[] = [];
    for (const p of principals) {
      if (p.credential.type !== 'session') continue;
      const row = rows.get(p.credential.id);
      if (!row || src.sessions.expired(row, at)) out.add(p);
      else alive.push(row.id);
    }
    for (const id of ids) if (!alive.includes(id) && rows.has(id)) await src.accounts.endSession(id);
    // An open dashboard is in use: its session's idle time starts again.
    await src.accounts.touchSessions(alive, at);
  }

  async function revokedKiosks(principals: readonly Principal[], out: Set<Principal>): Promise<void> {
    const hashes = [...new Set(principals.flatMap((p) => (p.credential.type === 'kiosk-token' ? [p.credential.tokenHash] : [])))];
    if (!src.accounts) return;
    const gone = new Set<string>();
    for (const hash of hashes) {
      const kiosk = await src.accounts.kioskByTokenHash(hash);
      if (kiosk) touchKiosk(kiosk.name);
      else gone.add(hash);
    }
    for (const p of principals) if (p.credential.type === 'kiosk-token' && gone.has(p.credential.tokenHash)) out.add(p);
  }

  return {
    async resolve(presented) {
      const token = bearerToken(presented.authorization);
      if (token !== null) {
        const locked = src.lockout.lockedFor(presented.address);
        if (locked > 0) throw new TokensLocked(locked);
        const byToken = await fromBearer(token);
        if (byToken) {
          src.lockout.succeeded(presented.address);
          return byToken;
        }
        src.lockout.failed(presented.address);
      }
      const cookie = sessionCookieIn(presented.cookie);
      const bySession = cookie === null ? null : await fromCookie(cookie);
      return bySession ?? anonymous();
    },
    async revoked(principals) {
      const out = new Set<Principal>();
      const anonymousRole = src.anonymous();
      const tokens = src.operatorTokens();
      for (const p of principals) {
        if (p.credential.type === 'anonymous' && anonymousRole !== p.role) out.add(p);
        if (p.credential.type === 'operator-token' && matchesAny(p.credential.token, tokens) < 0) out.add(p);
      }
      await Promise.all([revokedSessions(principals, out).catch(() => undefined), revokedKiosks(principals, out).catch(() => undefined)]);
      return out;
    },
  };
}
