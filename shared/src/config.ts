import { z } from 'zod';
import { parseDocument, YAMLParseError } from 'yaml';
import { authConfigSchema } from './auth.ts';
import { parseDuration } from './duration.ts';
import type { ConfigError } from './config-error.ts';
import { crossCheck } from './config-references.ts';
import { DEFAULT_FLAP_ENTER, DEFAULT_FLAP_LEAVE } from './node-status.ts';
import { siteSwitchesSchema, statusDbCrossCheck, statusDbSchema } from './status-db-config.ts';
import { isHost, notAHostMessage } from './host-name.ts';
import { notifyCrossCheck, notifySchema } from './notify-config.ts';
import { httpConfigSchema, probeTlsSchema } from './http-config.ts';
import { statusPageCrossCheck, statusPageSchema } from './status-page-config.ts';
import { PRIMARY_ID, SECONDARY_ID } from './types.ts';

/** A duration string (`500ms`, `2s`, `5m`) parsed into milliseconds. */
export const durationSchema = z.string({ error: 'expected a duration such as 500ms, 2s or 5m' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.issues.push({ code: 'custom', input: text, message: `"${text}" is not a duration (use 500ms, 2s, 5m, 1h)` });
    return z.NEVER;
  }
  return ms;
});

/** A duration that must be above zero: a timeout of 0 fails every probe at once. */
const positiveDuration = durationSchema.refine((ms) => ms > 0, 'must be longer than 0');

/** Rounds faster than this cannot finish their probes, and would flood the store and every dashboard. */
export const MIN_INTERVAL_MS = 100;

const port = z.number().int().min(1).max(65535);
const host = z.string().refine((text) => isHost(text), { error: (issue) => notAHostMessage(String(issue.input)) });
const probeTimeout = positiveDuration.optional();
const role = z.enum(['service', 'host']);
const statusCodes = z.array(z.number().int().min(100).max(699)).min(1);

const tcpProbe = z.strictObject({
  kind: z.literal('tcp'),
  host: host.optional(),
  port,
  role: role.default('service'),
  timeout: probeTimeout,
});
const httpProbe = z.strictObject({
  kind: z.literal('http'),
  url: z
    .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL', abort: true })
    .refine((url) => isHost(urlHost(url)), { error: (issue) => `the URL's host: ${notAHostMessage(urlHost(String(issue.input)))}` }),
  /** Accepted status codes; 2xx and 3xx when absent. */
  expectStatus: statusCodes.optional(),
  role: role.default('service'),
  timeout: probeTimeout,
  /** For https:// URLs; the certificate is verified unless `verify: false`. */
  tls: probeTlsSchema.optional(),
});
const sipProbe = z.strictObject({
  kind: z.literal('sip'),
  host: host.optional(),
  port: port.default(5060),
  /** Accepted response codes; 200 when absent. */
  acceptCodes: statusCodes.default([200]),
  role: role.default('service'),
  timeout: probeTimeout,
});
const icmpProbe = z.strictObject({
  kind: z.literal('icmp'),
  host: host.optional(),
  role: role.default('host'),
  timeout: probeTimeout,
});

export const probeSchema = z.discriminatedUnion('kind', [tcpProbe, httpProbe, sipProbe, icmpProbe], {
  error: 'expected a probe with kind tcp, http, sip or icmp',
});

/** A witness probe has no node to take its host from, so it names one. */
const witnessProbe = z.discriminatedUnion('kind', [
  tcpProbe.extend({ host }),
  httpProbe,
  sipProbe.extend({ host }),
  icmpProbe.extend({ host }),
]);

const nodeFields = {
  name: z.string().min(1),
  address: host,
  probes: z.array(probeSchema).min(1, 'a node needs at least one probe'),
};

const hqNode = z.strictObject(nodeFields);
const serverNode = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'ids are letters, digits, - and _'),
  ...nodeFields,
  /** This server hosts a DRS (Distributed Routing Service) instance. */
  drs: z.boolean().default(false),
});

const site = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'ids are letters, digits, - and _'),
  name: z.string().min(1),
  users: z.string().min(1),
  voicemail: z.string().min(1),
  drs: z.array(z.string().min(1)).default([]),
  userCount: z.number().int().min(0).optional(),
  /** What the wall writes on the site's tile when the name does not fit (an airport-style code: `BOS`). */
  short: z.string().trim().min(1).max(6).optional(),
  /** Its voice switches in the status database; absent: the switches of the site with this name there. */
  switches: siteSwitchesSchema,
});

/** How many rounds in a row (`failAfter`, `recoverAfter`): a whole number from 1 to 100. */
const rounds = (fallback: number) =>
  z
    .number({ error: 'expected a whole number of rounds' })
    .int('must be a whole number of rounds')
    .min(1, 'must be at least 1 round')
    .max(100, 'must be at most 100 rounds')
    .default(fallback);

const monitor = z.strictObject({
  interval: durationSchema.refine((ms) => ms >= MIN_INTERVAL_MS, `must be at least ${MIN_INTERVAL_MS}ms`).default(2_000),
  timeout: positiveDuration.default(1_000),
  failAfter: rounds(3),
  recoverAfter: rounds(2),
  expectedWindow: z
    .strictObject({ min: positiveDuration.default(300_000), max: positiveDuration.default(1_200_000) })
    .default({ min: 300_000, max: 1_200_000 }),
  witness: z.array(witnessProbe).default([]),
  /** Nagios-style flap thresholds, percent of weighted state changes over the last 21 rounds. */
  flap: z
    .strictObject({
      enter: z.number().min(0).max(100).default(DEFAULT_FLAP_ENTER),
      leave: z.number().min(0).max(100).default(DEFAULT_FLAP_LEAVE),
    })
    .default({ enter: DEFAULT_FLAP_ENTER, leave: DEFAULT_FLAP_LEAVE }),
  /** Most probes in flight at once. */
  concurrency: z.number().int().min(1).max(10_000).default(64),
});

/**
 * Where the history lives: `sqlite` (the default, `hqwatch.db` in the data directory) or `postgres`
 * with a `url` (`postgres://host:5432/database`, an optional `?schema=NAME`). `checkpointInterval`
 * applies to SQLite only.
 */
const storeSchema = z
  .strictObject({
    kind: z.enum(['sqlite', 'postgres']).default('sqlite'),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL, e.g. postgres://127.0.0.1:5432/hqwatch')
      .optional(),
    retentionDays: z.number().int().min(1).default(90),
    // Checkpointing is disk work; more often than every second it only competes with the writes.
    checkpointInterval: durationSchema.refine((ms) => ms >= 1_000, 'must be at least 1s').default(60_000),
  })
  .superRefine((store, ctx) => {
    if (store.kind === 'postgres' && store.url === undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'a postgres store needs a url, e.g. postgres://127.0.0.1:5432/hqwatch' });
    if (store.kind === 'sqlite' && store.url !== undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'url is for kind: postgres; a sqlite store lives in the data directory' });
  });

/**
 * A monitor pair (or more) sharing one PostgreSQL store: every instance probes, one leads (a session
 * advisory lock and a heartbeat row with a term). `instance` names this one (default: host name and
 * port); `heartbeat` is how often leadership is renewed and probed; a leader silent for `lease` is
 * replaced (a standby ends its session so the lock is freed), and a leader that cannot renew for
 * most of a lease steps down by itself.
 */
const haSchema = z
  .strictObject({
    instance: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, 'letters, digits, . _ : - (at most 63)')
      .optional(),
    heartbeat: durationSchema.refine((ms) => ms >= 100 && ms <= 10_000, 'must be from 100ms to 10s').default(1_000),
    lease: durationSchema.refine((ms) => ms >= 1_000 && ms <= 60_000, 'must be from 1s to 60s').default(5_000),
  })
  .superRefine((ha, ctx) => {
    if (ha.lease < 3 * ha.heartbeat) ctx.addIssue({ code: 'custom', path: ['lease'], message: 'must be at least 3 heartbeats' });
  });

/**
 * Live state shared through Redis: the leader writes it under `<prefix>:live` and publishes each
 * change on `<prefix>:live:changes`; socket.io's Redis Streams adapter carries the dashboards'
 * deltas to every node (`<prefix>:socket.io`). `websocketOnly` refuses HTTP long-polling, so a
 * load balancer needs no sticky sessions.
 */
const fanoutSchema = z.strictObject({
  redis: z.string().regex(/^rediss?:\/\/\S+$/, 'expected a redis:// URL, e.g. redis://127.0.0.1:6379'),
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - (at most 64)')
    .default('hqwatch'),
  websocketOnly: z.boolean().default(false),
});

export const configSchema = z
  .strictObject({
    monitor: monitor.default(monitor.parse({})),
    headquarters: z.strictObject({ primary: hqNode, secondary: hqNode }),
    servers: z.array(serverNode).default([]),
    drs: z.strictObject({ enabled: z.boolean().default(false) }).default({ enabled: false }),
    sites: z.array(site).default([]),
    /** Anonymous access, operator tokens, session lifetimes (`auth.ts`). */
    auth: authConfigSchema,
    http: httpConfigSchema,
    store: storeSchema.default({ kind: 'sqlite', retentionDays: 90, checkpointInterval: 60_000 }),
    /** ShoreWare's own status database, read as a second source beside the probes. */
    statusDb: statusDbSchema.optional(),
    /** Alerts that reach the on-call: channels and routes (notify-config.ts). */
    notify: notifySchema,
    /** The status page for users (`/status`): who may read it, which sites, its words (status-page-config.ts). */
    statusPage: statusPageSchema,
    /** Leadership among several instances on one PostgreSQL store (absent: one instance, as always). */
    ha: haSchema.optional(),
    /** Live state and dashboard deltas through Redis, for standbys and web nodes. */
    fanout: fanoutSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.ha && config.store.kind !== 'postgres')
      ctx.addIssue({ code: 'custom', path: ['ha'], message: 'ha needs a shared store: store: { kind: postgres, url: … }' });
  });

/**
 * The host of an http(s) URL as a probe would connect to it: after the scheme and any user info,
 * before the port and path, brackets of an IPv6 literal removed. Parsed by hand: `shared/` has
 * neither the DOM's nor Node's `URL` in its types, and zod has already checked the URL's shape.
 */
function urlHost(url: string): string {
  const authority = (/^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '').replace(/^.*@/, '');
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(authority);
  if (bracketed) return bracketed[1]!;
  return authority.replace(/:\d*$/, '').toLowerCase();
}

/** A validated configuration, durations in milliseconds. */
export type HqwatchConfig = z.output<typeof configSchema>;
export type ProbeConfig = z.output<typeof probeSchema>;
export type WitnessProbeConfig = HqwatchConfig['monitor']['witness'][number];
export type ServerConfig = HqwatchConfig['servers'][number];
export type SiteConfig = HqwatchConfig['sites'][number];

export type ConfigResult = { ok: true; config: HqwatchConfig } | { ok: false; errors: ConfigError[] };

/** Renders a path as `sites[1].users`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** Turns zod issues into `path: message` pairs, with `(root)` for the top level. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): ConfigError[] {
  return issues.map((issue) => ({ path: formatPath(issue.path) || '(root)', message: issue.message }));
}

/** Validates an already parsed document and reports every mistake at once. */
export function validateConfig(input: unknown): ConfigResult {
  const result = configSchema.safeParse(input);
  const errors = [
    ...(result.success ? [] : issuesToErrors(result.error.issues)),
    ...crossCheck(input),
    ...statusDbCrossCheck(input),
    ...notifyCrossCheck(input),
    ...statusPageCrossCheck(input),
  ];
  return result.success && errors.length === 0 ? { ok: true, config: result.data } : { ok: false, errors };
}

/**
 * Parses YAML text with a zod schema. An empty document, a YAML syntax error or a schema mismatch
 * each come back as errors with their path; nothing throws.
 */
export function parseYamlWith<T>(schema: z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; errors: ConfigError[] } {
  const doc = parseYamlDocument(text);
  if (!doc.ok) return doc;
  const result = schema.safeParse(doc.value);
  return result.success ? { ok: true, value: result.data } : { ok: false, errors: issuesToErrors(result.error.issues) };
}

/** Aliases a document may use: a config needs a few at most; "billion laughs" needs thousands. */
const MAX_ALIASES = 100;

/** The first error or warning of a YAML document as one line, with its position. */
function yamlProblem(problem: YAMLParseError | { message: string; linePos?: YAMLParseError['linePos'] }): ConfigError {
  const pos = problem.linePos?.[0];
  const line = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
  const message = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  return { path: '(file)', message: `invalid YAML${line}: ${message}` };
}

/**
 * Parses YAML text into a plain document; an empty file or a syntax error is one error line. Only
 * the YAML 1.2 core schema is read: a tag it does not know (`!!js/function`, `!!python/object`) is
 * an error rather than a string with a warning, duplicate keys are errors, and a document that
 * expands more than {@link MAX_ALIASES} aliases (an alias bomb) is refused.
 */
export function parseYamlDocument(text: string): { ok: true; value: unknown } | { ok: false; errors: ConfigError[] } {
  let doc: unknown;
  try {
    const parsed = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const problem = parsed.errors[0] ?? parsed.warnings[0];
    if (problem) return { ok: false, errors: [yamlProblem(problem)] };
    doc = parsed.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    return { ok: false, errors: [yamlProblem(err instanceof Error ? err : { message: String(err) })] };
  }
  if (doc === null || doc === undefined) return { ok: false, errors: [{ path: '(file)', message: 'the file is empty' }] };
  return { ok: true, value: doc };
}

/** Parses and validates YAML config text. */
export function parseConfigText(text: string): ConfigResult {
  const doc = parseYamlDocument(text);
  return doc.ok ? validateConfig(doc.value) : doc;
}

/** Every node id in a config: the HQ pair and the distributed servers. */
export function nodeIds(config: HqwatchConfig): string[] {
  return [PRIMARY_ID, SECONDARY_ID, ...config.servers.map((s) => s.id)];
}
