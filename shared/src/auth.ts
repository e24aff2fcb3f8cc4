import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * Who may do what, weakest first: a `viewer` reads the live state and the history, an `operator`
 * also annotates, acknowledges and plans maintenance windows, an `admin` also manages users, kiosk
 * displays and reloads the config.
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether `role` (null: nobody signed in and no anonymous access) grants what `needed` requires. */
export function roleAllows(role: Role | null | undefined, needed: Role): boolean {
  return role != null && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

const MINUTE = 60_000;

/** A duration of at least a minute (`30m`, `12h`), in milliseconds. Kept here: `config.ts` imports this file. */
const lifetime = z.string({ error: 'expected a duration such as 30m or 12h' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.issues.push({ code: 'custom', input: text, message: `"${text}" is not a duration (use 30m, 12h, 7d)` });
    return z.NEVER;
  }
  if (ms < MINUTE) ctx.issues.push({ code: 'custom', input: text, message: 'must be at least 1m' });
  return ms;
});
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Session lifetimes when the config names none: a day's shift idle, a week at most. */
export const DEFAULT_SESSION = { idle: 12 * HOUR, absolute: 7 * DAY } as const;

const sessionSchema = z
  .strictObject({
    /** A session nobody used for this long ends (an open dashboard keeps it in use). */
    idle: lifetime.default(DEFAULT_SESSION.idle),
    /** A session ends this long after its login, however much it is used. */
    absolute: lifetime.default(DEFAULT_SESSION.absolute),
  })
  .refine((s) => s.idle <= s.absolute, { path: ['idle'], message: 'must not be longer than absolute' });

/**
 * `auth:` in the config. Without `anonymous: viewer` every page, REST route and the socket need a
 * login (or a token); with it, reading needs none, as before accounts existed.
 */
export const authConfigSchema = z
  .strictObject({
    anonymous: z.literal('viewer', { error: 'the only anonymous role is viewer (leave the key out to require a login)' }).optional(),
    /** Bearer tokens with the operator role, for scripts. */
    operatorTokens: z.array(z.string().min(16, 'operator tokens need at least 16 characters')).default([]),
    session: sessionSchema.default({ ...DEFAULT_SESSION }),
  })
  .default({ operatorTokens: [], session: { ...DEFAULT_SESSION } });

export type AuthConfig = z.output<typeof authConfigSchema>;

/** User names: lower case (sign-in is case-insensitive), letters, digits and `. _ @ -`. */
export const USER_NAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
/** Kiosk display names: what a NOC calls its screens ("Lobby wall", "noc-2"). */
export const KIOSK_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export const userNameSchema = z
  .string()
  .trim()
  .transform((name) => name.toLowerCase())
  .pipe(z.string().regex(USER_NAME, 'a user name is 1–64 letters, digits, . _ @ or -, starting with a letter or digit'));
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN, `a password needs at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `a password has at most ${PASSWORD_MAX} characters`);
export const roleSchema = z.enum(ROLES, { error: 'a role is viewer, operator or admin' });
export const kioskNameSchema = z
  .string()
  .trim()
  .regex(KIOSK_NAME, 'a display name is 1–64 letters, digits, spaces, . _ or -, starting with a letter or digit');

/** `POST /api/auth/login`. The password is not checked against the rules: only against its hash. */
export const loginInputSchema = z.strictObject({ name: z.string().max(256), password: z.string().max(PASSWORD_MAX) });
/** `POST /api/admin/users`. */
export const userCreateSchema = z.strictObject({ name: userNameSchema, role: roleSchema, password: passwordSchema });
/** `PATCH /api/admin/users/:name`: a new role, a new password, or both. */
export const userUpdateSchema = z
  .strictObject({ role: roleSchema.optional(), password: passwordSchema.optional() })
  .refine((u) => u.role !== undefined || u.password !== undefined, { message: 'give a role, a password or both' });
/** `POST /api/admin/kiosks`. */
export const kioskCreateSchema = z.strictObject({ name: kioskNameSchema });

/** How a request or a socket is authenticated. */
export type PrincipalKind = 'user' | 'kiosk' | 'token' | 'anonymous';

/** Who the server takes a request for, as `GET /api/auth/me` tells it. */
export interface PrincipalView {
  kind: PrincipalKind;
  /** The user's or the kiosk display's name; null for a token or anonymous access. */
  name: string | null;
  role: Role;
}

/** `GET /api/auth/me`. */
export interface WhoAmI {
  /** Null: nobody signed in, and no anonymous access. */
  principal: PrincipalView | null;
  /** The role of anyone not signed in (`auth.anonymous`), null when a login is required. */
  anonymous: Role | null;
}

export interface UserView {
  name: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export interface KioskView {
  name: string;
  createdAt: string;
  /** When the display last used its session or token (to the minute); null if never. */
  lastSeenAt: string | null;
}

/** `POST /api/admin/kiosks`: the token is shown this once; only its hash is kept. */
export interface KioskCreated {
  kiosk: KioskView;
  token: string;
  /** `/wall?token=…`, to open once on the display. */
  path: string;
}
