/**
 * Reasons as facts: a code and its parameters, never a sentence. The words are made in one place
 * (`reason-render.ts`) for the live view, the wall, the replay, the exports and notifications
 * alike, so they can never drift apart and the socket carries a few bytes instead of a sentence.
 * The codes and their parameters are part of the contract (`docs/wire.md`): a code is never
 * renamed and its parameters never reordered; a new meaning gets a new code.
 */

import type { ServiceKey } from './types.ts';

/**
 * What a provider (the HQ pair, or a distributed server) is doing, as a reason says it: the
 * predicate of "HQ, which is failing over to HQ secondary". Its arguments are names.
 */
export const PREDICATES = {
  /** HQ: [server name] — "is served by HQ primary". */
  'served-by': 'ok',
  /** HQ: [primary name, secondary name] — "is claimed by both HQ primary and HQ secondary". */
  claimed: 'ok',
  /** HQ: [secondary name] — "is failing over to HQ secondary". */
  'failing-over': 'down',
  /** HQ: [primary name] — "is failing back to HQ primary". */
  'failing-back': 'down',
  /** HQ: [primary name, secondary name] — "is down, with neither HQ primary nor HQ secondary serving". */
  'hq-down': 'down',
  /** HQ: [] — "cannot be seen by the monitor". */
  blind: 'unknown',
  /** HQ or a server: [] — "has not been assessed yet". */
  'not-assessed': 'unknown',
  /** A server: [] — "is serving". */
  serving: 'ok',
  /** A server: [] — "answers but is not serving". */
  answers: 'down',
  /** A server: [] — "is down". */
  down: 'down',
  /** A server: [] — "is flapping". */
  flapping: 'down',
  /** A name no configured server has: [] — "is not a configured server". */
  'not-configured': 'unknown',
} as const satisfies Record<string, 'ok' | 'down' | 'unknown'>;

export type Predicate = keyof typeof PREDICATES;

/** Whether a provider in this predicate carries the services that go through it. */
export type Reach = (typeof PREDICATES)[Predicate];

/** A provider as a reason names it: `[name, predicate, ...the predicate's names]`, e.g. `['HQ', 'failing-over', 'HQ secondary']`. */
export type ProviderParam = readonly [name: string, predicate: Predicate, ...names: string[]];

/**
 * The reason codes. Parameters in brackets; the site and the service a reason belongs to are its
 * context, never parameters (see {@link ReasonContext}).
 *
 * | code | status | params | reads |
 * |---|---|---|---|
 * | `via` | provider's | [provider] | "Voicemail for Austin is routed through HQ, which is failing over to HQ secondary" |
 * | `im-ok` | ok | [] | "IM for Austin is available" (users on HQ) |
 * | `im-home` | ok | [provider] | "IM for Boston is available: its users are homed on Boston DVS, which is serving" |
 * | `im-window` | ok | [provider] | "IM for Austin is not affected while HQ is failing over to HQ secondary" |
 * | `im-outage` | unknown | [provider] | "IM for Austin is not known to be available: HQ is down, …, and the vendor's notes only say IM survives a failover or failback" |
 * | `im-pending` | unknown | [provider] | "The state of IM for Austin is not known yet: HQ has not been assessed yet" |
 * | `im-unknown` | unknown | [provider] | "IM for Boston is not known to be available: its users are homed on Boston DVS, which is down" |
 * | `drs-via` | ok | [provider] | "Intersite calls for Boston reach DRS through Boston DVS, which is serving" |
 * | `drs-only` | down | [provider] | "Intersite calls for Austin are unavailable: its only DRS access is through HQ, which …" |
 * | `drs-depends` | unknown | [provider] | "Intersite calls for Austin depend on DRS through HQ, which has not been assessed yet" |
 * | `drs-none` | down | [provider, provider, …] | "… are unavailable: none of its DRS paths is serving (Boston DVS is down; HQ is failing over to …)" |
 * | `drs-uncertain` | unknown | [provider, provider, …] | "… are uncertain: no DRS path is known to be serving (…)" |
 * | `drs-off` | n/a | [] | "DRS is not enabled, so intersite calls for Austin do not depend on it" |
 * | `drs-unset` | n/a | [] | "No DRS path is configured for Toronto" |
 * | `blind` | unknown | [] | "The state of voicemail for Austin is unknown: the monitor cannot see the network, so nothing is declared down" |
 * | `at-risk` | any | [primary name, secondary name, code, ...its params] | the reason `code` says, then " (at risk: computed on the assumption that HQ services are answered, since both HQ primary and HQ secondary claim to be HQ)" |
 * | `removed` | n/a | [] | "Austin is no longer in the configuration" |
 * | `switches-lost` | — | [switch count] | "reachability says ok; the status database says all 2 switches lost communication" (a site's contradiction) |
 */
export const REASON_CODES = [
  'via',
  'im-ok',
  'im-home',
  'im-window',
  'im-outage',
  'im-pending',
  'im-unknown',
  'drs-via',
  'drs-only',
  'drs-depends',
  'drs-none',
  'drs-uncertain',
  'drs-off',
  'drs-unset',
  'blind',
  'at-risk',
  'removed',
  'switches-lost',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** One parameter: a name, a number, a code (inside `at-risk`) or a provider. */
export type ReasonParam = string | number | ProviderParam;
export type ReasonParams = readonly ReasonParam[];

/** A reason as data: what the engine decides and the store keeps. */
export interface Reason {
  code: ReasonCode;
  params: ReasonParams;
}

/** The site and service a reason belongs to: where it is shown, so never repeated in its parameters. */
export interface ReasonContext {
  site: string;
  service: ServiceKey;
}

/** Whether a provider in `predicate` carries what goes through it. */
export function reachOf(predicate: Predicate): Reach {
  return PREDICATES[predicate];
}

/** Whether `code` is a reason code this version knows (a stored or received one may not be). */
export function isReasonCode(code: unknown): code is ReasonCode {
  return typeof code === 'string' && (REASON_CODES as readonly string[]).includes(code);
}
