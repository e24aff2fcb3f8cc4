import { afterEach, beforeEach, expect, it } from 'vitest';
import { openAccountStore } from '../src/store/accounts-open.ts';
import type { AccountStore, SessionRow, UserRow } from '../src/store/accounts.ts';
import { StoreOpenError, type Store } from '../src/store/store.ts';
import { describeStores, type StorePlace } from './support/store-backends.ts';

const T = Date.parse('2026-03-02T08:00:00.000Z');
const user = (name: string, role: UserRow['role'] = 'operator'): UserRow => ({
  name,
  role,
  passwordHash: `scrypt$N=2,r=1,p=1$c2FsdA==$${name}`,
  createdAt: T,
  updatedAt: T,
});
const session = (id: string, subject: string, kind: SessionRow['kind'] = 'user'): SessionRow => ({
  id,
  kind,
  subject,
  role: kind === 'kiosk' ? 'viewer' : 'operator',
  createdAt: T,
  lastSeenAt: T,
});

describeStores('accounts in the history store', (backend) => {
  let place: StorePlace;
  let store: Store;
  let accounts: AccountStore;
  beforeEach(async () => {
    place = await backend.place();
    store = await place.open();
    accounts = store.accounts;
  });
  afterEach(async () => {
    await store.close();
    await place.cleanup();
  });

  it('keeps users by name: added once, listed in order, changed and removed', async () => {
    expect(await accounts.addUser(user('bob'))).toBe(true);
    expect(await accounts.addUser(user('alice', 'admin'))).toBe(true);
    expect(await accounts.addUser({ ...user('bob'), role: 'admin' })).toBe(false);
    expect((await accounts.listUsers()).map((u) => [u.name, u.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'operator'],
    ]);
    expect(await accounts.getUser('bob')).toEqual(user('bob'));
    expect(await accounts.countAdmins()).toBe(1);

    expect(await accounts.updateUser('bob', { role: 'admin' }, T + 1000)).toBe(true);
    expect(await accounts.getUser('bob')).toMatchObject({ role: 'admin', passwordHash: user('bob').passwordHash, updatedAt: T + 1000 });
    expect(await accounts.updateUser('bob', { passwordHash: 'new' }, T + 2000)).toBe(true);
    expect(await accounts.getUser('bob')).toMatchObject({ role: 'admin', passwordHash: 'new', updatedAt: T + 2000 });
    expect(await accounts.updateUser('nobody', { role: 'viewer' }, T)).toBe(false);

    expect(await accounts.removeUser('bob')).toBe(true);
    expect(await accounts.removeUser('bob')).toBe(false);
    expect(await accounts.getUser('bob')).toBeNull();
  });

  it('ends the sessions of a user whose password or role changes or who is removed, and bumps the revision each time', async () => {
    for (const name of ['bob', 'carol']) await accounts.addUser(user(name));
    await accounts.cookieKey('k');
    const start = await accounts.revision();
    const open = async () => {
      await accounts.createSession(session('s-bob-1', 'bob'));
      await accounts.createSession(session('s-bob-2', 'bob'));
      await accounts.createSession(session('s-carol', 'carol'));
    };
    const alive = async () => (await accounts.sessions(['s-bob-1', 's-bob-2', 's-carol'])).map((s) => s.id).sort();

    await open();
    await accounts.updateUser('bob', { passwordHash: 'x' }, T);
    expect(await alive()).toEqual(['s-carol']);
    expect(await accounts.revision()).toBe(start + 1);

    await accounts.createSession(session('s-bob-1', 'bob'));
    await accounts.updateUser('bob', { role: 'viewer' }, T);
    expect(await alive()).toEqual(['s-carol']);
    expect(await accounts.revision()).toBe(start + 2);

    await accounts.createSession(session('s-bob-2', 'bob'));
    await accounts.removeUser('bob');
    expect(await alive()).toEqual(['s-carol']);
    expect(await accounts.revision()).toBe(start + 3);

    // Nothing ended: no bump (another instance has nothing to check).
    await accounts.updateUser('carol', { role: 'viewer' }, T);
    await accounts.createSession(session('s-dave', 'dave'));
    await accounts.updateUser('nobody', { role: 'viewer' }, T);
    expect(await accounts.revision()).toBe(start + 4);
  });

  it('keeps kiosk displays by the hash of their token, marks them seen, and ends their sessions when revoked', async () => {
    await accounts.cookieKey('k');
    expect(await accounts.addKiosk({ name: 'Lobby wall', tokenHash: 'h1', createdAt: T, lastSeenAt: null })).toBe(true);
    expect(await accounts.addKiosk({ name: 'Lobby wall', tokenHash: 'h2', createdAt: T, lastSeenAt: null })).toBe(false);
    expect(await accounts.kioskByTokenHash('h1')).toMatchObject({ name: 'Lobby wall', lastSeenAt: null });
    expect(await accounts.kioskByTokenHash('h2')).toBeNull();

    await accounts.touchKiosks(['Lobby wall'], T + 5000);
    await accounts.touchKiosks(['Lobby wall'], T + 1000); // an older mark never moves it back
    expect((await accounts.listKiosks())[0]).toMatchObject({ name: 'Lobby wall', lastSeenAt: T + 5000 });

    await accounts.createSession(session('s-wall', 'Lobby wall', 'kiosk'));
    await accounts.createSession(session('s-user', 'Lobby wall', 'user')); // a user of the same name is someone else
    const start = await accounts.revision();
    expect(await accounts.revokeKiosk('Lobby wall')).toBe(true);
    expect((await accounts.sessions(['s-wall', 's-user'])).map((s) => s.id)).toEqual(['s-user']);
    expect(await accounts.kioskByTokenHash('h1')).toBeNull();
    expect(await accounts.revision()).toBe(start + 1);
    expect(await accounts.revokeKiosk('Lobby wall')).toBe(false);
  });

  it('keeps sessions: read back, marked used (never back in time), ended one by one, pruned past their lifetimes', async () => {
    await accounts.cookieKey('k');
    await accounts.createSession(session('a', 'bob'));
    await accounts.createSession({ ...session('b', 'bob'), createdAt: T - 10_000, lastSeenAt: T - 10_000 });
    await accounts.createSession({ ...session('w', 'Wall', 'kiosk'), createdAt: T - 99_000, lastSeenAt: T - 99_000 });
    expect(await accounts.getSession('a')).toEqual(session('a', 'bob'));
    expect(await accounts.getSession('zz')).toBeNull();

    await accounts.touchSessions(['a'], T + 60_000);
    await accounts.touchSessions(['a'], T + 30_000);
    expect((await accounts.getSession('a'))!.lastSeenAt).toBe(T + 60_000);

    const start = await accounts.revision();
    await accounts.endSession('a');
    expect(await accounts.getSession('a')).toBeNull();
    expect(await accounts.revision()).toBe(start + 1);

    // Unused since before T - 5 s: b goes; kiosk sessions are never pruned.
    await accounts.pruneSessions(T - 100_000, T - 5_000);
    expect((await accounts.sessions(['b', 'w'])).map((s) => s.id)).toEqual(['w']);
  });

  it('counts failed logins per key within a window, and forgets the old ones', async () => {
    await accounts.recordLoginFailure(['user:bob', 'addr:10.0.0.1'], T, T - 300_000);
    await accounts.recordLoginFailure(['user:bob', 'addr:10.0.0.2'], T + 1000, T - 300_000);
    const seen = await accounts.loginFailures(['user:bob', 'addr:10.0.0.1', 'addr:10.9.9.9'], T - 1);
    expect(Object.fromEntries(seen)).toEqual({ 'user:bob': [T, T + 1000], 'addr:10.0.0.1': [T], 'addr:10.9.9.9': [] });
    expect((await accounts.loginFailures(['user:bob'], T + 1)).get('user:bob')).toEqual([T + 1000]);

    await accounts.clearLoginFailures('user:bob');
    expect((await accounts.loginFailures(['user:bob', 'addr:10.0.0.2'], 0)).get('user:bob')).toEqual([]);
    // A failure five minutes later deletes those out of every window.
    await accounts.recordLoginFailure(['addr:10.0.0.3'], T + 400_000, T + 100_000);
    expect((await accounts.loginFailures(['addr:10.0.0.2'], 0)).get('addr:10.0.0.2')).toEqual([]);
  });

  it('gives every instance the cookie key the first one made', async () => {
    expect(await accounts.cookieKey('first')).toBe('first');
    expect(await accounts.cookieKey('second')).toBe('first');
    if (backend.name !== 'postgres') return;
    // Another process beside the running one (the CLI, a web node) sees the same accounts.
    const other = await openAccountStore(place.location);
    try {
      expect(await other.accounts.cookieKey('third')).toBe('first');
      await other.accounts.addUser(user('from-the-cli'));
      expect(await accounts.getUser('from-the-cli')).not.toBeNull();
    } finally {
      await other.close();
    }
  });

  if (backend.name === 'sqlite') {
    it('refuses the accounts of a SQLite file a running hqwatch holds (locked, exit code 75)', async () => {
      const err = await openAccountStore({ ...place.location, busyTimeoutMs: 100 } as typeof place.location).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreOpenError);
      expect(err).toMatchObject({ failure: 'locked', exitCode: 75 });
    });
  }
});
