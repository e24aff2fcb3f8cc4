import type { Predicate, ProviderParam, Reach, Reason } from './reason-codes.ts';
import { reachOf } from './reason-codes.ts';

/**
 * Whether something a site depends on (the HQ pair or a distributed server) is carrying its
 * services, and how reasons name it: `param` is "Boston DVS" with "is down", so reasons name the
 * server the way the operator configured it. Built once per round, shared by many sites' reasons.
 */
export interface Provider {
  name: string;
  reach: Reach;
  param: ProviderParam;
  /** The param as one string: what a site's reasons depend on, for the impact's memo. */
  key: string;
  /** Its `via` reason, made once and shared by every service routed through it. */
  routed: Reason;
}

/** A provider named `name` in `predicate`, whose arguments are `names`. */
export function provider(name: string, predicate: Predicate, ...names: string[]): Provider {
  const param: ProviderParam = [name, predicate, ...names];
  return { name, reach: reachOf(predicate), param, key: param.join('\u0001'), routed: { code: 'via', params: [param] } };
}

/** "Voicemail for Austin is routed through HQ, which is failing over to HQ secondary". */
export function routedReason(by: Provider): Reason {
  return by.routed;
}

/**
 * What can be said of IM through a site's home server: it serves (`serving`), a failover or
 * failback is under way, which the notes say does not affect IM (`window`), HQ is down with no
 * move under way, of which the notes say nothing (`outage`), or the home server is not known to
 * serve (`unknown`: no verdict yet, or down, answering without serving, or flapping).
 */
export type ImBasis = 'serving' | 'window' | 'outage' | 'unknown';

/** IM for a site's users, naming the server they are homed on (`home`, HQ when `onHq`) and what it is doing. */
export function imReason(home: Provider, basis: ImBasis, onHq: boolean): Reason {
  switch (basis) {
    case 'serving':
      return onHq ? { code: 'im-ok', params: [] } : { code: 'im-home', params: [home.param] };
    case 'window':
      return { code: 'im-window', params: [home.param] };
    case 'outage':
      return { code: 'im-outage', params: [home.param] };
    case 'unknown':
      return { code: home.reach === 'unknown' ? 'im-pending' : 'im-unknown', params: [home.param] };
  }
}

/** Why a site can, cannot or may not place intersite calls, given its DRS paths. */
export function drsReason(reach: Reach, paths: readonly Provider[]): Reason {
  if (reach === 'ok') {
    const via = paths.find((p) => p.reach === 'ok') as Provider;
    return { code: 'drs-via', params: [via.param] };
  }
  if (paths.length === 1) return { code: reach === 'down' ? 'drs-only' : 'drs-depends', params: [paths[0]!.param] };
  return { code: reach === 'down' ? 'drs-none' : 'drs-uncertain', params: paths.map((p) => p.param) };
}

/** `drsIntersite` is `n/a` everywhere when the system has no DRS. */
export const DRS_DISABLED: Reason = { code: 'drs-off', params: [] };

/** A site without DRS paths does not depend on any DRS server, so the engine does not guess one. */
export const NO_DRS_PATH: Reason = { code: 'drs-unset', params: [] };

/** While blind the monitor declares nothing down: every reason says why the state is unknown. */
export const BLIND: Reason = { code: 'blind', params: [] };

/**
 * While both servers of the pair claim to be HQ: the reason, and that the status was computed as
 * if HQ services were answered, which nobody can vouch for.
 */
export function atRiskReason(reason: Reason, primaryName: string, secondaryName: string): Reason {
  return { code: 'at-risk', params: [primaryName, secondaryName, reason.code, ...reason.params] };
}
