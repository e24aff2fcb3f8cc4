import { parseArgs } from 'node:util';
import { passwordSchema, roleSchema, type KioskView, type Role, type UserView } from '@hqwatch/shared';
import { AccountError, accountAdmin, type AccountAdmin } from '../auth/account-admin.ts';
import { loadConfigFile } from '../config/load.ts';
import { openAccountStore, type OpenAccounts } from '../store/accounts-open.ts';
import { StoreOpenError } from '../store/store.ts';
import { askHidden, firstLine } from './password-input.ts';
import { storeLocation } from './serve.ts';

export const ACCOUNTS_USAGE = `  hqwatch user add NAME --role viewer|operator|admin [--password-stdin]   add a user (asks for the password)
  hqwatch user passwd NAME [--password-stdin]                            set a new password (ends their sessions)
  hqwatch user role NAME --role viewer|operator|admin                    change a role (ends their sessions)
  hqwatch user remove NAME                                               remove a user (ends their sessions)
  hqwatch user list
  hqwatch kiosk add NAME [--url http://HOST:PORT]                         a wall display's token, shown once
  hqwatch kiosk list
  hqwatch kiosk revoke NAME                                              its wall drops to the login screen
    each with [--config FILE] [--data DIR]: the store of that config (default: SQLite in ./data)`;

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: NodeJS.ReadStream;
}

const REAL_IO: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), stdin: process.stdin };

async function openFor(values: { config?: string; data?: string }): Promise<OpenAccounts> {
  const dataDir = values.data ?? './data';
  if (!values.config) return openAccountStore({ kind: 'sqlite', dataDir, checkpointIntervalMs: 60_000, busyTimeoutMs: 500 });
  const loaded = await loadConfigFile(values.config);
  if (!loaded.ok) throw new UsageError(`the config has errors:\n${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  const location = storeLocation(loaded.config.store, dataDir);
  return openAccountStore(location.kind === 'postgres' ? location : { ...location, busyTimeoutMs: 500 });
}

async function newPassword(values: { 'password-stdin'?: boolean }, io: Io): Promise<string> {
  let password: string;
  if (values['password-stdin']) password = await firstLine(io.stdin);
  else if (io.stdin.isTTY) {
    password = await askHidden('Password: ', io.stdin);
    if ((await askHidden('Again: ', io.stdin)) !== password) throw new UsageError('the two passwords differ');
  } else throw new UsageError('no terminal to ask for the password on: give it on standard input with --password-stdin');
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new UsageError(checked.error.issues[0]!.message);
  return checked.data;
}

function roleOf(value: string | undefined): Role {
  const parsed = roleSchema.safeParse(value);
  if (!parsed.success) throw new UsageError('--role must be viewer, operator or admin');
  return parsed.data;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

const users = (list: UserView[]) =>
  table([['NAME', 'ROLE', 'CREATED', 'CHANGED'], ...list.map((u) => [u.name, u.role, u.createdAt, u.updatedAt])]);
const kiosks = (list: KioskView[]) =>
  table([['NAME', 'CREATED', 'LAST SEEN'], ...list.map((k) => [k.name, k.createdAt, k.lastSeenAt ?? 'never'])]);

async function run(
  command: 'user' | 'kiosk',
  args: string[],
  admin: () => Promise<AccountAdmin>,
  io: Io,
  values: Record<string, string | boolean | undefined>,
): Promise<void> {
  const [action, name] = args;
  const needName = () => {
    if (!name) throw new UsageError(`${command} ${action} needs a NAME`);
    return name;
  };
  if (command === 'user') {
    switch (action) {
      case 'add': {
        const who = needName();
        const role = roleOf(values.role as string | undefined);
        const password = await newPassword(values, io);
        const user = await (await admin()).addUser(who, role, password);
        return io.out(`user "${user.name}" added (${user.role})\n`);
      }
      case 'passwd': {
        const who = needName();
        const password = await newPassword(values, io);
        const user = await (await admin()).updateUser(who, { password }, false);
        return io.out(`password of "${user.name}" changed; their sessions have ended\n`);
      }
      case 'role': {
        const who = needName();
        const user = await (await admin()).updateUser(who, { role: roleOf(values.role as string | undefined) }, false);
        return io.out(`"${user.name}" is now ${user.role}; their sessions have ended\n`);
      }
      case 'remove':
        await (await admin()).removeUser(needName(), false);
        return io.out(`user "${name!.toLowerCase()}" removed; their sessions have ended\n`);
      case 'list':
        return io.out(users(await (await admin()).listUsers()));
    }
  } else {
    switch (action) {
      case 'add': {
        const created = await (await admin()).addKiosk(needName());
        const base = typeof values.url === 'string' ? values.url.replace(/\/+$/, '') : 'http://HOST:PORT';
        return io.out(
          `kiosk display "${created.kiosk.name}" added. Open this once on the display (it is shown only now):\n${base}${created.path}\n`,
        );
      }
      case 'list':
        return io.out(kiosks(await (await admin()).listKiosks()));
      case 'revoke':
        await (await admin()).revokeKiosk(needName());
        return io.out(`kiosk display "${name}" revoked; its wall drops to the login screen\n`);
    }
  }
  throw new UsageError(`unknown ${command} action "${action ?? ''}"`);
}

/** `hqwatch user …` and `hqwatch kiosk …`: accounts in the configured store. Exit 0, 1 (refused), 2 (usage) or the store's code. */
export async function runAccountsCommand(command: 'user' | 'kiosk', argv: string[], io: Io = REAL_IO): Promise<number> {
  let opened: OpenAccounts | null = null;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        data: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        url: { type: 'string' },
      },
    });
    const admin = async () => {
      opened ??= await openFor(values);
      return accountAdmin(opened.accounts, Date.now);
    };
    await run(command, positionals, admin, io, values);
    return 0;
  } catch (err) {
    if (err instanceof StoreOpenError) {
      const hint = err.failure === 'locked' ? ' (while it runs, users and kiosk displays are managed on its admin page, /admin)' : '';
      io.err(`hqwatch: ${err.message}${hint}\n`);
      return err.exitCode;
    }
    if (err instanceof AccountError) {
      io.err(`hqwatch: ${err.message}\n`);
      return 1;
    }
    const usage = err instanceof UsageError || (err as { code?: unknown }).code?.toString().startsWith('ERR_PARSE_ARGS');
    io.err(`hqwatch: ${err instanceof Error ? err.message : String(err)}\n${usage ? `Usage:\n${ACCOUNTS_USAGE}\n` : ''}`);
    return usage ? 2 : 1;
  } finally {
    await (opened as OpenAccounts | null)?.close();
  }
}
