import { z } from 'zod';
import { ALERT_EVENTS } from './alert-events.ts';
import type { ConfigError } from './config-error.ts';
import { parseDuration } from './duration.ts';

/**
 * `notify:` in the config: the channels alerts go out on and the routes that pick them. Secrets
 * (webhook URLs, SMTP passwords, routing keys, HMAC secrets) may be written `${ENV:NAME}`: they are
 * read from the environment where hqwatch runs (see {@link notifyEnvErrors}) and never shown.
 */

const ENV_REF = /^\$\{ENV:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The variable a `${ENV:NAME}` value names, or null for a literal value. */
export function envRefName(value: string): string | null {
  return ENV_REF.exec(value)?.[1] ?? null;
}

/** Whether `text` is an absolute http:// or https:// URL with a host. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^/?#\s@]*[^/?#\s@:][^/?#\s]*(?:[/?#]\S*)?$/i.test(text) && !/\s/.test(text);
}

/** A value that is written inline or as `${ENV:NAME}`; a half-written reference is refused rather than sent as text. */
function secretOrEnv(min: number, what: string) {
  return z.string({ error: `${what} is required` }).superRefine((value, ctx) => {
    if (envRefName(value) !== null) return;
    if (value.includes('${')) ctx.addIssue({ code: 'custom', message: 'write an environment variable as ${ENV:NAME}, alone in the value' });
    else if (value.length < min) ctx.addIssue({ code: 'custom', message: `${what} needs at least ${min} characters (or \${ENV:NAME})` });
  });
}

function urlOrEnv(what: string) {
  return z.string({ error: `${what} is required` }).superRefine((value, ctx) => {
    if (envRefName(value) !== null) return;
    if (value.includes('${')) ctx.addIssue({ code: 'custom', message: 'write an environment variable as ${ENV:NAME}, alone in the value' });
    else if (!isHttpUrl(value)) ctx.addIssue({ code: 'custom', message: `${what}: expected an http:// or https:// URL, or \${ENV:NAME}` });
  });
}

const durationField = z.string({ error: 'expected a duration such as 10s or 15m' }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) {
    ctx.issues.push({ code: 'custom', input: text, message: `"${text}" is not a duration (use 500ms, 10s, 15m, 1h)` });
    return z.NEVER;
  }
  return ms;
});

const channelId = z.string().regex(/^[a-z0-9][a-z0-9-_]*$/i, 'channel ids are letters, digits, - and _');
const email = z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'expected an e-mail address such as noc@example.com');
const header = z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name is letters, digits and -');

const common = {
  id: channelId,
  /** How long one delivery may take before it counts as failed (and is retried); `notify.delivery.timeout` when absent. */
  timeout: durationField.optional(),
};

const webhookChannel = z.strictObject({
  ...common,
  kind: z.literal('webhook'),
  url: urlOrEnv('url'),
  /** Signs every body: `X-Hqwatch-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`. */
  secret: secretOrEnv(16, 'secret'),
  /** Extra request headers (an API key of the receiver's own, say); values may be `${ENV:NAME}`. */
  headers: z.record(header, z.string()).optional(),
});

const slackChannel = z.strictObject({ ...common, kind: z.literal('slack'), url: urlOrEnv('url') });
const teamsChannel = z.strictObject({ ...common, kind: z.literal('teams'), url: urlOrEnv('url') });

const smtp = z.strictObject({
  host: z.string().min(1, 'host is required'),
  port: z.number().int().min(1).max(65535).default(587),
  /** `starttls` (587: upgrade required), `tls` (465: TLS from the start) or `none` (a relay on a trusted network). */
  security: z.enum(['starttls', 'tls', 'none']).default('starttls'),
  user: z.string().min(1).optional(),
  password: secretOrEnv(1, 'password').optional(),
  /** Refuse a server certificate that does not verify (on by default). */
  verifyCertificate: z.boolean().default(true),
});

const emailChannel = z.strictObject({
  ...common,
  kind: z.literal('email'),
  smtp,
  from: email,
  to: z.array(email).min(1, 'at least one recipient'),
});

const pagerdutyChannel = z.strictObject({
  ...common,
  kind: z.literal('pagerduty'),
  /** The integration key of a PagerDuty service (Events API v2). */
  routingKey: secretOrEnv(1, 'routingKey'),
  /** The Events API endpoint; another only for a proxy or a test receiver. */
  url: urlOrEnv('url').default('https://events.pagerduty.com/v2/enqueue'),
  /**
   * Once HQ serves again with the incident still open (the failover done, the failback to come),
   * acknowledge the PagerDuty alert instead of updating it, so it stops escalating. Off by default:
   * an acknowledgement should mean someone is on it.
   */
  acknowledgeWhenServing: z.boolean().default(false),
});

export const channelSchema = z.discriminatedUnion('kind', [webhookChannel, slackChannel, teamsChannel, emailChannel, pagerdutyChannel], {
  error: 'expected a channel with kind webhook, slack, teams, email or pagerduty',
});

const routeSchema = z.strictObject({
  channels: z.array(channelId).min(1, 'a route needs at least one channel'),
  /** Only these events (every one when absent). A thread's resolve always goes where its earlier messages went. */
  events: z.array(z.enum(ALERT_EVENTS, { error: `expected one of ${ALERT_EVENTS.join(', ')}` })).optional(),
  /** Only messages about these sites (that lost something there). */
  sites: z.array(z.string().min(1)).optional(),
  /** Only messages about these servers (`primary`, `secondary` or a server id). */
  servers: z.array(z.string().min(1)).optional(),
  /** Remind of a thread still open (a window, an overrun, a server down) this often. */
  repeat: durationField.refine((ms) => ms >= 1_000, 'must be at least 1s').optional(),
});

const DELIVERY_DEFAULTS = { timeout: 10_000, firstRetry: 1_000, maxRetry: 300_000, deadline: 3_600_000 };

const deliverySchema = z
  .strictObject({
    /** One attempt's limit (per channel: `timeout` on it). */
    timeout: durationField.default(DELIVERY_DEFAULTS.timeout),
    /** Retries back off exponentially from `firstRetry` to `maxRetry`, with jitter. */
    firstRetry: durationField.default(DELIVERY_DEFAULTS.firstRetry),
    maxRetry: durationField.default(DELIVERY_DEFAULTS.maxRetry),
    /** Past this a message that could not be delivered is kept as undeliverable (shown, never dropped). */
    deadline: durationField.default(DELIVERY_DEFAULTS.deadline),
  })
  .default(DELIVERY_DEFAULTS);

export const notifySchema = z
  .strictObject({
    channels: z.array(channelSchema).default([]),
    routes: z.array(routeSchema).default([]),
    delivery: deliverySchema,
  })
  .default({ channels: [], routes: [], delivery: DELIVERY_DEFAULTS });

export type NotifyConfig = z.output<typeof notifySchema>;
export type ChannelConfig = NotifyConfig['channels'][number];
export type ChannelKind = ChannelConfig['kind'];
export type RouteConfig = NotifyConfig['routes'][number];

type Loose = Record<string, unknown>;
const asRecord = (value: unknown): Loose | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : null;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * What the schema cannot check of `notify:`: channel ids unique, routes naming channels, sites and
 * servers that exist, SMTP credentials in pairs. Reads the raw document, like the config's other
 * cross-checks, so every mistake is reported at once.
 */
export function notifyCrossCheck(raw: unknown): ConfigError[] {
  const errors: ConfigError[] = [];
  const doc = asRecord(raw);
  const notify = asRecord(doc?.notify);
  if (!notify) return errors;
  const channels = new Set<string>();
  asArray(notify.channels).forEach((entry, i) => {
    const channel = asRecord(entry);
    if (typeof channel?.id !== 'string') return;
    if (channels.has(channel.id)) errors.push({ path: `notify.channels[${i}].id`, message: `duplicate channel id "${channel.id}"` });
    channels.add(channel.id);
    const smtp = asRecord(channel.smtp);
    if (smtp && (smtp.user === undefined) !== (smtp.password === undefined)) {
      const missing = smtp.user === undefined ? 'user' : 'password';
      errors.push({
        path: `notify.channels[${i}].smtp.${missing}`,
        message: `${missing} is required with ${missing === 'user' ? 'password' : 'user'}`,
      });
    }
    if (smtp && smtp.security === 'none' && smtp.password !== undefined)
      errors.push({ path: `notify.channels[${i}].smtp.security`, message: 'a password would be sent in the clear: use starttls or tls' });
  });
  const sites = new Set(asArray(doc?.sites).flatMap((s) => (typeof asRecord(s)?.id === 'string' ? [asRecord(s)!.id as string] : [])));
  const servers = new Set([
    'primary',
    'secondary',
    ...asArray(doc?.servers).flatMap((s) => (typeof asRecord(s)?.id === 'string' ? [asRecord(s)!.id as string] : [])),
  ]);
  asArray(notify.routes).forEach((entry, i) => {
    const route = asRecord(entry);
    asArray(route?.channels).forEach((id, j) => {
      if (typeof id === 'string' && !channels.has(id))
        errors.push({ path: `notify.routes[${i}].channels[${j}]`, message: `unknown channel "${id}" (not in notify.channels)` });
    });
    asArray(route?.sites).forEach((id, j) => {
      if (typeof id === 'string' && !sites.has(id))
        errors.push({ path: `notify.routes[${i}].sites[${j}]`, message: `unknown site "${id}"` });
    });
    asArray(route?.servers).forEach((id, j) => {
      if (typeof id === 'string' && !servers.has(id))
        errors.push({ path: `notify.routes[${i}].servers[${j}]`, message: `unknown server "${id}" (primary, secondary or a server id)` });
    });
  });
  return errors;
}

/** The fields of a channel that may hold a secret or a `${ENV:NAME}`, with their paths below the channel. */
function secretFields(channel: ChannelConfig): { path: string; value: string; url: boolean; min: number }[] {
  switch (channel.kind) {
    case 'webhook':
      return [
        { path: 'url', value: channel.url, url: true, min: 0 },
        { path: 'secret', value: channel.secret, url: false, min: 16 },
        ...Object.entries(channel.headers ?? {}).map(([name, value]) => ({ path: `headers.${name}`, value, url: false, min: 0 })),
      ];
    case 'slack':
    case 'teams':
      return [{ path: 'url', value: channel.url, url: true, min: 0 }];
    case 'email':
      return channel.smtp.password === undefined ? [] : [{ path: 'smtp.password', value: channel.smtp.password, url: false, min: 0 }];
    case 'pagerduty':
      return [
        { path: 'routingKey', value: channel.routingKey, url: false, min: 0 },
        { path: 'url', value: channel.url, url: true, min: 0 },
      ];
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * `${ENV:NAME}` values that cannot be used where hqwatch runs: the variable unset or empty, a URL
 * that is not one, a webhook secret too short. The message names the variable, never its value.
 */
export function notifyEnvErrors(notify: NotifyConfig, env: Env): ConfigError[] {
  const errors: ConfigError[] = [];
  notify.channels.forEach((channel, i) => {
    for (const field of secretFields(channel)) {
      const name = envRefName(field.value);
      if (name === null) continue;
      const path = `notify.channels[${i}].${field.path}`;
      const value = env[name];
      if (value === undefined || value === '') errors.push({ path, message: `\${ENV:${name}}: ${name} is not set in the environment` });
      else if (field.url && !isHttpUrl(value))
        errors.push({ path, message: `\${ENV:${name}}: the value of ${name} is not an http:// or https:// URL` });
      else if (value.length < field.min)
        errors.push({ path, message: `\${ENV:${name}}: the value of ${name} is shorter than ${field.min} characters` });
    }
  });
  return errors;
}

const resolve = (value: string, env: Env): string => {
  const name = envRefName(value);
  return name === null ? value : (env[name] ?? '');
};

/** The channel with every `${ENV:NAME}` replaced by its value: what a sender uses, and nothing else keeps. */
export function resolveChannel(channel: ChannelConfig, env: Env): ChannelConfig {
  switch (channel.kind) {
    case 'webhook':
      return {
        ...channel,
        url: resolve(channel.url, env),
        secret: resolve(channel.secret, env),
        ...(channel.headers && { headers: Object.fromEntries(Object.entries(channel.headers).map(([k, v]) => [k, resolve(v, env)])) }),
      };
    case 'slack':
    case 'teams':
      return { ...channel, url: resolve(channel.url, env) };
    case 'email':
      return channel.smtp.password === undefined
        ? channel
        : { ...channel, smtp: { ...channel.smtp, password: resolve(channel.smtp.password, env) } };
    case 'pagerduty':
      return { ...channel, routingKey: resolve(channel.routingKey, env), url: resolve(channel.url, env) };
  }
}

/**
 * Every secret a resolved channel holds (URLs with their paths, keys, passwords), longest first: the
 * strings an error or a log line about it must not contain.
 */
export function channelSecrets(resolved: ChannelConfig): string[] {
  const values = secretFields(resolved).flatMap((f) => {
    if (!f.url) return [f.value];
    // A chat webhook's URL is a credential in its path; its scheme and host are not.
    const rest = /^https?:\/\/[^/?#]*([/?#].*)?$/i.exec(f.value)?.[1];
    return rest && rest.length > 1 ? [f.value, rest] : [f.value];
  });
  return [...new Set(values.filter((v) => v.length >= 4))].sort((a, b) => b.length - a.length);
}

/** What may be shown of where a channel delivers: the scheme and host of a URL, the SMTP server and recipients. */
export function channelTarget(channel: ChannelConfig): string {
  const origin = (url: string) => {
    if (envRefName(url) !== null) return url;
    const match = /^(https?:\/\/)(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
    return match ? `${match[1]}${match[2]}` : '';
  };
  switch (channel.kind) {
    case 'webhook':
    case 'slack':
    case 'teams':
    case 'pagerduty':
      return origin(channel.url);
    case 'email':
      return `smtp://${channel.smtp.host}:${channel.smtp.port} → ${channel.to.join(', ')}`;
  }
}
