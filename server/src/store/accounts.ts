import type { Role } from '@hqwatch/shared';
import { authStateRepository } from './auth-state.repository.ts';
import { kiosksRepository, type KioskRow } from './kiosks.repository.ts';
import { loginFailuresRepository } from './login-failures.repository.ts';
import { sessionsRepository, type SessionKind, type SessionRow } from './sessions.repository.ts';
import type { Sql } from './sql/sql.ts';
import { usersRepository, type UserRow } from './users.repository.ts';

export type { KioskRow } from './kiosks.repository.ts';
export type { SessionKind, SessionRow } from './sessions.repository.ts';
export type { UserRow } from './users.repository.ts';

/**
 * Users, kiosk displays, sessions and failed logins, in the history database (both backends). The
 * policy — hashing, lifetimes, limits — is `auth/`'s; this only stores. Every change that ends
 * sessions (a password or role changed, a user removed, a display revoked, a logout) deletes them
 * and bumps the shared revision in one transaction, so other instances see it on their next poll.
 * Account writes go straight to the database, beside the history's ordered queue: they are not
 * history, and a login must not wait behind a round's batch that waits for an outage to end.
 */
export interface AccountStore {
  /** The key cookies are signed with, shared by every instance on the database; `proposed` becomes it when none exists. */
  cookieKey(proposed: string): Promise<string>;
  /** Bumped by every revocation. */
  revision(): Promise<number>;

  listUsers(): Promise<UserRow[]>;
  getUser(name: string): Promise<UserRow | null>;
  /** False when the name is taken. */
  addUser(row: UserRow): Promise<boolean>;
  /** Changes a role or a password hash and ends the user's sessions; false when there is no such user. */
  updateUser(name: string, change: { role?: Role; passwordHash?: string }, atMs: number): Promise<boolean>;
  /** Removes a user and ends their sessions; false when there is no such user. */
  removeUser(name: string): Promise<boolean>;
  countAdmins(): Promise<number>;

  listKiosks(): Promise<KioskRow[]>;
  kioskByTokenHash(tokenHash: string): Promise<KioskRow | null>;
  /** False when the name is taken. */
  addKiosk(row: KioskRow): Promise<boolean>;
  touchKiosks(names: readonly string[], atMs: number): Promise<void>;
  /** Removes a display and ends its sessions; false when there is no such display. */
  revokeKiosk(name: string): Promise<boolean>;

  createSession(row: SessionRow): Promise<void>;
  getSession(id: string): Promise<SessionRow | null>;
  /** Which of these sessions still exist. */
  sessions(ids: readonly string[]): Promise<SessionRow[]>;
  touchSessions(ids: readonly string[], atMs: number): Promise<void>;
  /** Ends one session (a logout, a login replacing it, an expiry found). */
  endSession(id: string): Promise<void>;
  /** Deletes the user sessions past their lifetimes. */
  pruneSessions(createdBefore: number, seenBefore: number): Promise<void>;

  recordLoginFailure(keys: readonly string[], atMs: number, deleteBefore: number): Promise<void>;
  loginFailures(keys: readonly string[], sinceMs: number): Promise<Map<string, number[]>>;
  clearLoginFailures(key: string): Promise<void>;
}

/** The account store over a database, any backend. */
export function accountStore(sql: Sql): AccountStore {
  const users = usersRepository(sql);
  const kiosks = kiosksRepository(sql);
  const sessions = sessionsRepository(sql);
  const failures = loginFailuresRepository(sql);
  const state = authStateRepository(sql);

  /** Runs a change that may end sessions; the revision is bumped in its transaction when it did. */
  const revoking = <T>(change: (tx: Sql) => Promise<{ result: T; ended: number }>): Promise<T> =>
    sql.tx(async (tx) => {
      const { result, ended } = await change(tx);
      if (ended > 0) await authStateRepository(tx).bump();
      return result;
    });

  const endAll = (tx: Sql, kind: SessionKind, subject: string) => sessionsRepository(tx).removeFor(kind, subject);

  return {
    cookieKey: state.cookieKey,
    revision: state.revision,
    listUsers: users.list,
    getUser: users.get,
    addUser: users.insert,
    updateUser: (name, change, atMs) =>
      revoking(async (tx) => {
        const updated = await usersRepository(tx).update(name, change, atMs);
        return { result: updated, ended: updated ? await endAll(tx, 'user', name) : 0 };
      }),
    removeUser: (name) =>
      revoking(async (tx) => {
        const removed = await usersRepository(tx).remove(name);
        return { result: removed, ended: removed ? await endAll(tx, 'user', name) : 0 };
      }),
    countAdmins: users.countAdmins,
    listKiosks: kiosks.list,
    kioskByTokenHash: kiosks.byTokenHash,
    addKiosk: kiosks.insert,
    touchKiosks: kiosks.touch,
    revokeKiosk: (name) =>
      revoking(async (tx) => {
        const removed = await kiosksRepository(tx).remove(name);
        // A display used only by its token (a script) has no session, yet its sockets must go.
        return { result: removed, ended: removed ? 1 + (await endAll(tx, 'kiosk', name)) : 0 };
      }),
    createSession: sessions.insert,
    getSession: sessions.get,
    sessions: sessions.some,
    touchSessions: sessions.touch,
    endSession: (id) => revoking(async (tx) => ({ result: undefined, ended: await sessionsRepository(tx).remove(id) })),
    async pruneSessions(createdBefore, seenBefore) {
      await sessions.removeExpired(createdBefore, seenBefore);
    },
    recordLoginFailure: (keys, atMs, deleteBefore) => sql.tx((tx) => loginFailuresRepository(tx).record(keys, atMs, deleteBefore)),
    loginFailures: failures.since,
    clearLoginFailures: failures.clear,
  };
}
