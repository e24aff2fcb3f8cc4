import { kioskCreateSchema, userNameSchema, type KioskCreated, type KioskView, type Role, type UserView } from '@hqwatch/shared';
import type { AccountStore, KioskRow, UserRow } from '../store/accounts.ts';
import { hashPassword } from './passwords.ts';
import { kioskToken, secretHash } from './secrets.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function userView(row: UserRow): UserView {
  return { name: row.name, role: row.role, createdAt: iso(row.createdAt), updatedAt: iso(row.updatedAt) };
}

export function kioskView(row: KioskRow): KioskView {
  return { name: row.name, createdAt: iso(row.createdAt), lastSeenAt: row.lastSeenAt === null ? null : iso(row.lastSeenAt) };
}

/** Why an account change was refused, in words for the CLI and the admin page alike. */
export class AccountError extends Error {
  constructor(
    readonly reason: 'exists' | 'missing' | 'last-admin' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'AccountError';
  }
}

/** A user name as stored (lower case), or an AccountError saying what is wrong with it. */
export function normalName(name: string): string {
  const parsed = userNameSchema.safeParse(name);
  if (!parsed.success) throw new AccountError('invalid', parsed.error.issues[0]!.message);
  return parsed.data;
}

/**
 * Managing users and kiosk displays, the same for the `user`/`kiosk` commands, the admin page and
 * the demo. Passwords and names are expected validated (shared schemas); a change that ends
 * sessions ends them in the store (`AccountStore`), and `changed` is told so the sockets of this
 * instance go at once rather than at the next poll.
 */
export function accountAdmin(accounts: AccountStore, now: () => number, changed: () => void = () => undefined) {
  async function keepAnAdmin(name: string, nextRole: Role | null): Promise<void> {
    const user = await accounts.getUser(name);
    if (user?.role === 'admin' && nextRole !== 'admin' && (await accounts.countAdmins()) <= 1)
      throw new AccountError('last-admin', `"${name}" is the only admin: make another admin first`);
  }
  return {
    async listUsers(): Promise<UserView[]> {
      return (await accounts.listUsers()).map(userView);
    },
    async addUser(name: string, role: Role, password: string): Promise<UserView> {
      const at = now();
      const row: UserRow = { name: normalName(name), role, passwordHash: await hashPassword(password), createdAt: at, updatedAt: at };
      if (!(await accounts.addUser(row))) throw new AccountError('exists', `a user "${row.name}" exists already`);
      return userView(row);
    },
    /** A new role and/or password; the user's sessions end. `guard` keeps the last admin (the admin page; the CLI may do anything). */
    async updateUser(name: string, change: { role?: Role; password?: string }, guard = true): Promise<UserView> {
      const key = normalName(name);
      if (guard && change.role !== undefined) await keepAnAdmin(key, change.role);
      const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
      if (!(await accounts.updateUser(key, { role: change.role, passwordHash }, now())))
        throw new AccountError('missing', `no user "${key}"`);
      changed();
      return userView((await accounts.getUser(key))!);
    },
    async removeUser(name: string, guard = true): Promise<void> {
      const key = normalName(name);
      if (guard) await keepAnAdmin(key, null);
      if (!(await accounts.removeUser(key))) throw new AccountError('missing', `no user "${key}"`);
      changed();
    },
    /** Sets a user's role and password whether or not it exists (the demo's logins, new each run). */
    async putUser(name: string, role: Role, password: string): Promise<void> {
      const key = normalName(name);
      const passwordHash = await hashPassword(password);
      const at = now();
      if (await accounts.addUser({ name: key, role, passwordHash, createdAt: at, updatedAt: at })) return;
      await accounts.updateUser(key, { role, passwordHash }, at);
      changed();
    },
    async listKiosks(): Promise<KioskView[]> {
      return (await accounts.listKiosks()).map(kioskView);
    },
    /** A new display with a new token, shown this once: only its hash is kept. */
    async addKiosk(name: string): Promise<KioskCreated> {
      const parsed = kioskCreateSchema.shape.name.safeParse(name);
      if (!parsed.success) throw new AccountError('invalid', parsed.error.issues[0]!.message);
      const token = kioskToken();
      const row: KioskRow = { name: parsed.data, tokenHash: secretHash(token), createdAt: now(), lastSeenAt: null };
      if (!(await accounts.addKiosk(row))) throw new AccountError('exists', `a kiosk display "${row.name}" exists already`);
      return { kiosk: kioskView(row), token, path: `/wall?token=${encodeURIComponent(token)}` };
    },
    async revokeKiosk(name: string): Promise<void> {
      if (!(await accounts.revokeKiosk(name.trim()))) throw new AccountError('missing', `no kiosk display "${name.trim()}"`);
      changed();
    },
  };
}

export type AccountAdmin = ReturnType<typeof accountAdmin>;
