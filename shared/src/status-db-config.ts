import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * The host that stands for "whichever HQ server is acting now" in `statusDb.url`; an empty host
 * (`mysql://USER@/DATABASE`, `mysql://USER@:PORT/DATABASE`) means the same.
 */
export const STATUS_DB_ACTIVE_HQ = 'active-hq';
/** ShoreWare's MySQL listens here on the HQ server. */
export const STATUS_DB_DEFAULT_PORT = 4308;
export const STATUS_DB_DEFAULT_DATABASE = 'shorewarestatus';
/** The only place the status database password is read from. */
export const STATUS_DB_PASSWORD_ENV = 'HQWATCH_STATUSDB_PASSWORD';

/** Where `statusDb.url` points, without any secret. */
export interface StatusDbTarget {
  user: string;
  /** A host name or address, or {@link STATUS_DB_ACTIVE_HQ}. */
  host: string;
  port: number;
  database: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
/** user, :password, host (or [v6]), :port, /database, then anything else (options). */
const URL_PARTS = /^mysql:\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#@]*)(?::(\d*))?(?:\/([^?#]*))?(.*)$/i;

/**
 * Parses `mysql://USER@[HOST][:PORT][/DATABASE]`; without a host, the active HQ server's address is
 * read ({@link STATUS_DB_ACTIVE_HQ}). Errors never repeat the URL: it may hold a
 * password that must not reach a log or a terminal.
 */
export function parseStatusDbUrl(text: string): { ok: true; target: StatusDbTarget } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!/^mysql:\/\//i.test(trimmed)) return { ok: false, message: 'expected a mysql:// URL' };
  const match = URL_PARTS.exec(trimmed);
  if (!match)
    return { ok: false, message: `expected mysql://USER@HOST:PORT/DATABASE (HOST "${STATUS_DB_ACTIVE_HQ}" for the active HQ server)` };
  const [, user, password, host, port, path, extra] = match;
  if (password !== undefined)
    return { ok: false, message: `the password goes in the environment variable ${STATUS_DB_PASSWORD_ENV}, never in the URL` };
  if (!user) return { ok: false, message: 'name the read-only user: mysql://USER@HOST/…' };
  if (extra) return { ok: false, message: 'URL options are not read; use the statusDb keys instead' };
  const portNumber = port ? Number(port) : STATUS_DB_DEFAULT_PORT;
  if (!(portNumber >= 1 && portNumber <= 65535)) return { ok: false, message: 'the port is a number from 1 to 65535' };
  let database: string;
  let userName: string;
  try {
    database = decodeURIComponent(path ?? '') || STATUS_DB_DEFAULT_DATABASE;
    userName = decodeURIComponent(user);
  } catch {
    return { ok: false, message: 'the URL has a malformed %-escape' };
  }
  if (!IDENTIFIER.test(database)) return { ok: false, message: 'the database name is letters, digits, _ and $' };
  const hostName = host ? host.replace(/^\[(.*)\]$/, '$1') : STATUS_DB_ACTIVE_HQ;
  if (!hostName)
    return { ok: false, message: 'the host between [ ] is empty: name it, or leave the brackets out for the active HQ server' };
  return { ok: true, target: { user: userName, host: hostName, port: portNumber, database } };
}

/** `user@host:port/database`: what may be shown of a target. */
export function describeStatusDbTarget(target: StatusDbTarget, activeAddress?: string | null): string {
  const host =
    target.host === STATUS_DB_ACTIVE_HQ ? (activeAddress ? `${activeAddress} (active HQ server)` : 'the active HQ server') : target.host;
  return `${target.user}@${host}:${target.port}/${target.database}`;
}

const duration = (fallback: number) =>
  z
    .string({ error: 'expected a duration such as 500ms, 2s or 5m' })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null || ms <= 0) {
        ctx.issues.push({ code: 'custom', input: text, message: `"${text}" is not a duration (use 500ms, 2s, 5m)` });
        return z.NEVER;
      }
      return ms;
    })
    .default(fallback);

const name = (fallback: string) => z.string().regex(IDENTIFIER, 'table and column names are letters, digits, _ and $').default(fallback);

/**
 * Table and column names read, defaulting to those public Nagios plugins for ShoreTel read;
 * versions differ, so each can be renamed.
 */
const schemaNames = z.strictObject({
  /** The configuration database, on the same server: switch names, types and sites. */
  configDatabase: name('shoreware'),
  switchStatus: z
    .strictObject({
      table: name('heapswitchstatus'),
      switchId: name('SwitchID'),
      serverId: name('ServerID'),
      address: name('InternetAddress'),
      service: name('Service'),
    })
    .prefault({}),
  switches: z
    .strictObject({
      table: name('switches'),
      switchId: name('SwitchID'),
      name: name('HostName'),
      address: name('IPAddress'),
      type: name('type'),
      siteId: name('SiteID'),
    })
    .prefault({}),
  sites: z.strictObject({ table: name('sites'), siteId: name('SiteID'), name: name('Name') }).prefault({}),
  serviceStatus: z
    .strictObject({
      table: name('heapservicestatus'),
      serverId: name('ServerID'),
      displayName: name('DisplayName'),
      serviceName: name('ServiceName'),
      state: name('CurrentState'),
    })
    .prefault({}),
  /** `switches.type` values of servers (HQ, DVS): their rows carry service states, not voice switches. */
  serverTypes: z.array(z.string().min(1)).min(1).default(['SGHQ', 'SGDVS']),
});

export const statusDbSchema = z.strictObject({
  url: z.string({ error: 'expected mysql://USER@HOST:PORT/DATABASE' }).superRefine((text, ctx) => {
    const parsed = parseStatusDbUrl(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  }),
  /** How often the status database is read, apart from the probe rounds. */
  interval: duration(15_000),
  connectTimeout: duration(5_000),
  queryTimeout: duration(5_000),
  schema: schemaNames.prefault({}),
});

export type StatusDbConfig = z.output<typeof statusDbSchema>;
export type StatusDbSchemaNames = StatusDbConfig['schema'];

/** The per-site key: the switches of a site, by `HostName` or address, instead of matching the site's name. */
export const siteSwitchesSchema = z.array(z.string().min(1)).min(1, 'list at least one switch, or leave the key out').optional();

type Loose = Record<string, unknown>;
const record = (value: unknown): Loose | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : null;

/**
 * What the schema cannot check about the status database: switches listed without a database to
 * read them from, a switch listed for two sites, timeouts as long as the interval.
 */
export function statusDbCrossCheck(raw: unknown): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = [];
  const doc = record(raw);
  if (!doc) return errors;
  const statusDb = record(doc.statusDb);
  const owners = new Map<string, string>();
  (Array.isArray(doc.sites) ? doc.sites : []).forEach((entry, i) => {
    const site = record(entry);
    if (!site || !Array.isArray(site.switches)) return;
    if (!statusDb) {
      errors.push({
        path: `sites[${i}].switches`,
        message: 'switch status is read from the ShoreWare status database: configure statusDb',
      });
      return;
    }
    site.switches.forEach((sw, j) => {
      if (typeof sw !== 'string') return;
      const key = sw.trim().toLowerCase();
      const owner = owners.get(key);
      const siteName = typeof site.id === 'string' ? site.id : `sites[${i}]`;
      if (owner !== undefined)
        errors.push({ path: `sites[${i}].switches[${j}]`, message: `switch "${sw}" is already listed for site ${owner}` });
      else owners.set(key, siteName);
    });
  });
  if (statusDb) {
    const ms = (value: unknown, fallback: number) => (typeof value === 'string' ? parseDuration(value) : fallback);
    const interval = ms(statusDb.interval, 15_000);
    for (const key of ['connectTimeout', 'queryTimeout'] as const) {
      // Only a timeout that was written is judged: an error about an unwritten default would puzzle.
      if (statusDb[key] === undefined) continue;
      const timeout = ms(statusDb[key], 5_000);
      if (interval !== null && timeout !== null && timeout >= interval)
        errors.push({ path: `statusDb.${key}`, message: 'must be shorter than statusDb.interval, so reads never pile up' });
    }
  }
  return errors;
}
