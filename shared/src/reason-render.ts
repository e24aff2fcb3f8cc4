/**
 * The words of every reason: the one function that turns a reason code and its parameters into
 * the sentence the live view, the wall, the replay, the exports and notifications show.
 */
import type { Predicate, ProviderParam, ReasonCode, ReasonContext, ReasonParam, ReasonParams } from './reason-codes.ts';
import { PREDICATES } from './reason-codes.ts';
import type { ServiceKey } from './types.ts';

type RoutedService = Exclude<ServiceKey, 'im' | 'drsIntersite'>;

/**
 * The notes' telephony and video bullet sits under "effects on Call Manager": it is Call Manager's
 * telephony and video (the desktop client) that users lose, so the reasons say so. Desk phones
 * controlled by the voice switches are another matter, which hqwatch does not monitor.
 */
const ROUTED: Record<RoutedService, (site: string) => string> = {
  telephony: (site) => `Call Manager telephony for ${site} runs through`,
  video: (site) => `Call Manager video for ${site} runs through`,
  voicemail: (site) => `Voicemail for ${site} is routed through`,
  configChanges: (site) => `Director, Web Client and Call Manager configuration changes for ${site} are made through`,
  accountCodes: (site) => `The Account Code service for ${site} runs on`,
  workgroups: (site) => `The Workgroup service for ${site} runs on`,
};

/** Lower-case names used inside a sentence, e.g. "The state of voicemail for Austin is unknown". */
const IN_SENTENCE: Record<ServiceKey, string> = {
  telephony: 'Call Manager telephony',
  video: 'Call Manager video',
  im: 'IM',
  voicemail: 'voicemail',
  drsIntersite: 'intersite calls',
  configChanges: 'configuration changes',
  accountCodes: 'the Account Code service',
  workgroups: 'the Workgroup service',
};

const isPredicate = (value: unknown): value is Predicate => typeof value === 'string' && Object.hasOwn(PREDICATES, value);

/**
 * A provider parameter, as stored or received: anything else (a reason from a newer version, a
 * damaged row) reads as a provider not assessed rather than throwing.
 */
function providerAt(param: ReasonParam | undefined): ProviderParam {
  if (Array.isArray(param) && typeof param[0] === 'string' && isPredicate(param[1])) return param as unknown as ProviderParam;
  return [typeof param === 'string' ? param : 'an unknown provider', 'not-assessed'];
}

const text = (param: ReasonParam | undefined): string => (typeof param === 'string' || typeof param === 'number' ? String(param) : '?');

/** "is failing over to HQ secondary": what a provider is doing. */
export function predicateText([, predicate, a = '?', b = '?']: ProviderParam): string {
  switch (predicate) {
    case 'served-by':
      return `is served by ${a}`;
    case 'claimed':
      return `is claimed by both ${a} and ${b}`;
    case 'failing-over':
      return `is failing over to ${a}`;
    case 'failing-back':
      return `is failing back to ${a}`;
    case 'hq-down':
      return `is down, with neither ${a} nor ${b} serving`;
    case 'blind':
      return 'cannot be seen by the monitor';
    case 'not-assessed':
      return 'has not been assessed yet';
    case 'serving':
      return 'is serving';
    case 'answers':
      return 'answers but is not serving';
    case 'down':
      return 'is down';
    case 'flapping':
      return 'is flapping';
    case 'not-configured':
      return 'is not a configured server';
  }
}

/** " Boston DVS, which is down": the ending of many reasons. */
const via = (p: ProviderParam) => ` ${p[0]}, which ${predicateText(p)}`;
/** "Boston DVS is down". */
const stated = (p: ProviderParam) => `${p[0]} ${predicateText(p)}`;

function routed(service: ServiceKey, site: string, p: ProviderParam): string {
  const lead = service === 'im' || service === 'drsIntersite' ? `${IN_SENTENCE[service]} for ${site} go through` : ROUTED[service](site);
  return lead + via(p);
}

/**
 * Appended to every reason while both servers of the pair claim to be HQ: the status was computed
 * as if HQ services were answered, and nobody can vouch for that.
 */
function atRiskSuffix(primaryName: string, secondaryName: string): string {
  return ` (at risk: computed on the assumption that HQ services are answered, since both ${primaryName} and ${secondaryName} claim to be HQ)`;
}

/**
 * The sentence of a reason, in the context it is shown in (the site and the service it belongs
 * to). Pure: the same code, parameters and context always give the same words. A code or
 * parameters this version does not know (a stored reason from a newer version) read as such,
 * never throw.
 */
export function renderReason(code: ReasonCode, params: ReasonParams, { site, service }: ReasonContext): string {
  const p0 = () => providerAt(params[0]);
  switch (code) {
    case 'via':
      return routed(service, site, p0());
    case 'im-ok':
      return `IM for ${site} is available`;
    case 'im-home':
      return `IM for ${site} is available: its users are homed on${via(p0())}`;
    case 'im-window':
      return `IM for ${site} is not affected while ${stated(p0())}`;
    case 'im-outage':
      return `IM for ${site} is not known to be available: ${stated(p0())}, and the vendor's notes only say IM survives a failover or failback`;
    case 'im-pending':
      return `The state of IM for ${site} is not known yet: ${stated(p0())}`;
    case 'im-unknown':
      return `IM for ${site} is not known to be available: its users are homed on${via(p0())}`;
    case 'drs-via':
      return `Intersite calls for ${site} reach DRS through${via(p0())}`;
    case 'drs-only':
      return `Intersite calls for ${site} are unavailable: its only DRS access is through${via(p0())}`;
    case 'drs-depends':
      return `Intersite calls for ${site} depend on DRS through${via(p0())}`;
    case 'drs-none':
      return `Intersite calls for ${site} are unavailable: none of its DRS paths is serving (${params.map((p) => stated(providerAt(p))).join('; ')})`;
    case 'drs-uncertain':
      return `Intersite calls for ${site} are uncertain: no DRS path is known to be serving (${params.map((p) => stated(providerAt(p))).join('; ')})`;
    case 'drs-off':
      return `DRS is not enabled, so intersite calls for ${site} do not depend on it`;
    case 'drs-unset':
      return `No DRS path is configured for ${site}`;
    case 'blind':
      return `The state of ${IN_SENTENCE[service]} for ${site} is unknown: the monitor cannot see the network, so nothing is declared down`;
    case 'at-risk': {
      const [primary, secondary, inner, ...rest] = params;
      const innerText = inner === 'at-risk' || typeof inner !== 'string' ? '' : renderReason(inner as ReasonCode, rest, { site, service });
      return innerText + atRiskSuffix(text(primary), text(secondary));
    }
    case 'removed':
      return `${site} is no longer in the configuration`;
    case 'switches-lost': {
      const total = Number(params[0]);
      const which = total === 1 ? 'its only switch' : `all ${total} switches`;
      return `reachability says ok; the status database says ${which} lost communication`;
    }
    default:
      return `${IN_SENTENCE[service] ?? 'A service'} for ${site}: reason "${String(code)}" is not known to this version of hqwatch`;
  }
}

/** Renders reasons, keeping the sentences it made: the same reason is never worded twice. */
export type ReasonRenderer = (code: ReasonCode, params: ReasonParams, context: ReasonContext) => string;

/** A remembered sentence, in a list from the least to the most recently asked for. */
interface Remembered {
  key: string;
  sentence: string;
  older: Remembered | null;
  newer: Remembered | null;
}

/**
 * A {@link renderReason} that remembers its sentences, keyed by code, parameters and context. The
 * client renders thousands of services per change, most of them seen before: each is then a
 * lookup. Parameters arrays are keyed once each, so a table of reasons shared by many sites costs
 * one key per reason.
 *
 * Memory stays bounded by what is in use, not by all that was ever seen: at most `limit`
 * sentences, the least recently asked for going first. Sentences a wall keeps needing (the states
 * of every failover and failback of the largest system) stay; those of a state long past go,
 * instead of piling up until a wall that runs for weeks holds every sentence it ever showed (the
 * wall soak found its heap growing by them). Once full it holds exactly `limit`, so a wall's heap
 * stays level rather than filling and emptying in turns. The order is a linked list, so asking
 * costs the same however many were asked before (a `Map` re-set on every hit leaves a hole per
 * hit that finding the oldest then walks past). `render` words what is not remembered.
 */
export function memoizeReasons(limit = 8_192, render: ReasonRenderer = renderReason): ReasonRenderer {
  const byKey = new Map<string, Remembered>();
  let oldest: Remembered | null = null;
  let newest: Remembered | null = null;
  const unlink = (r: Remembered) => {
    if (r.older) r.older.newer = r.newer;
    else oldest = r.newer;
    if (r.newer) r.newer.older = r.older;
    else newest = r.older;
    r.older = r.newer = null;
  };
  const append = (r: Remembered) => {
    r.older = newest;
    if (newest) newest.newer = r;
    else oldest = r;
    newest = r;
  };
  const paramKeys = new WeakMap<ReasonParams, string>();
  const keyOf = (params: ReasonParams) => {
    let key = paramKeys.get(params);
    if (key === undefined) {
      key = JSON.stringify(params);
      paramKeys.set(params, key);
    }
    return key;
  };
  return (code, params, context) => {
    const key = `${context.service}\u0000${context.site}\u0000${code}\u0000${keyOf(params)}`;
    let r = byKey.get(key);
    if (r) {
      if (r !== newest) {
        unlink(r);
        append(r);
      }
      return r.sentence;
    }
    if (byKey.size >= limit && oldest) {
      const gone: Remembered = oldest;
      unlink(gone);
      byKey.delete(gone.key);
    }
    r = { key, sentence: render(code, params, context), older: null, newer: null };
    byKey.set(key, r);
    append(r);
    return r.sentence;
  };
}
