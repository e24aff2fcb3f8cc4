import type { ServiceKey } from './types.ts';

/**
 * Whether something a site depends on (the HQ pair or a distributed server) is carrying its
 * services. `name` and `predicate` form the sentence "Boston DVS is down", so reasons can name the
 * server the way the operator configured it.
 */
export interface Provider {
  name: string;
  reach: 'ok' | 'down' | 'unknown';
  predicate: string;
  /** " Boston DVS, which is down": built once per round, ends many sites' reasons. */
  via: string;
}

/** A provider with its reason ending prepared. */
export function provider(name: string, reach: Provider['reach'], predicate: string): Provider {
  return { name, reach, predicate, via: ` ${name}, which ${predicate}` };
}

/** Services whose reason reads "<service> for <site> <goes> through <provider>, which <predicate>". */
export type RoutedService = Exclude<ServiceKey, 'im' | 'drsIntersite'>;

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

/** "Voicemail for Austin is routed through HQ, which is failing over to HQ secondary". */
export function routedReason(service: RoutedService, site: string, provider: Provider): string {
  return ROUTED[service](site) + provider.via;
}

/**
 * What can be said of IM through a site's home server: it serves (`serving`), a failover or
 * failback is under way, which the notes say does not affect IM (`window`), HQ is down with no
 * move under way, of which the notes say nothing (`outage`), or the home server is not known to
 * serve (`unknown`: no verdict yet, or down, answering without serving, or flapping).
 */
export type ImBasis = 'serving' | 'window' | 'outage' | 'unknown';

/** IM for a site's users, naming the server they are homed on (`home`, HQ when `onHq`) and what it is doing. */
export function imReason(site: string, home: Provider, basis: ImBasis, onHq: boolean): string {
  switch (basis) {
    case 'serving':
      return onHq
        ? `IM for ${site} is available`
        : `IM for ${site} is available: its users are homed on ${home.name}, which ${home.predicate}`;
    case 'window':
      return `IM for ${site} is not affected while ${home.name} ${home.predicate}`;
    case 'outage':
      return `IM for ${site} is not known to be available: ${home.name} ${home.predicate}, and the vendor's notes only say IM survives a failover or failback`;
    case 'unknown':
      return home.reach === 'unknown'
        ? `The state of IM for ${site} is not known yet: ${home.name} ${home.predicate}`
        : `IM for ${site} is not known to be available: its users are homed on ${home.name}, which ${home.predicate}`;
  }
}

function listed(providers: readonly Provider[]): string {
  return providers.map((p) => `${p.name} ${p.predicate}`).join('; ');
}

/** Why a site can, cannot or may not place intersite calls, given its DRS paths. */
export function drsReason(site: string, reach: Provider['reach'], paths: readonly Provider[]): string {
  if (reach === 'ok') {
    const via = paths.find((p) => p.reach === 'ok') as Provider;
    return `Intersite calls for ${site} reach DRS through${via.via}`;
  }
  if (paths.length === 1) {
    const [only] = paths;
    return reach === 'down'
      ? `Intersite calls for ${site} are unavailable: its only DRS access is through${only.via}`
      : `Intersite calls for ${site} depend on DRS through${only.via}`;
  }
  return reach === 'down'
    ? `Intersite calls for ${site} are unavailable: none of its DRS paths is serving (${listed(paths)})`
    : `Intersite calls for ${site} are uncertain: no DRS path is known to be serving (${listed(paths)})`;
}

/** `drsIntersite` is `n/a` everywhere when the system has no DRS. */
export function drsDisabledReason(site: string): string {
  return `DRS is not enabled, so intersite calls for ${site} do not depend on it`;
}

/** A site without DRS paths does not depend on any DRS server, so the engine does not guess one. */
export function noDrsPathReason(site: string): string {
  return `No DRS path is configured for ${site}`;
}

/** While blind the monitor declares nothing down: every reason says why the state is unknown. */
export function blindReason(service: ServiceKey, site: string): string {
  return `The state of ${IN_SENTENCE[service]} for ${site} is unknown: the monitor cannot see the network, so nothing is declared down`;
}

/**
 * Appended to every reason while both servers of the pair claim to be HQ: the status was computed
 * as if HQ services were answered, and nobody can vouch for that.
 */
export function dualActiveSuffix(primaryName: string, secondaryName: string): string {
  return ` (at risk: computed on the assumption that HQ services are answered, since both ${primaryName} and ${secondaryName} claim to be HQ)`;
}
