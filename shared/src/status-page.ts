/**
 * The status page for users: what one site's people can and cannot do right now, and what to do,
 * in plain words, from the live state. Pure: the server renders it as HTML, JSON and Atom. It says
 * nothing the monitor's own views say about servers (names, addresses, probes), operators or other
 * sites; the only address it gives is the one Call Manager users must type.
 */
import type { StatusPageConfig } from './status-page-config.ts';
import { fill, type StatusWords } from './status-page-words.ts';
import type { HqState, LiveState, ServiceKey, ServiceState, SiteView } from './types.ts';
import { formatRange } from './window-estimate.ts';

/** The version of the JSON document (`format`); bumped only if a field changes meaning. */
export const SITE_STATUS_FORMAT = 'hqwatch-site-status/1';

/** The services users know, each from the monitor's services it stands for. */
export const USER_SERVICES = [
  'callManager',
  'instantMessages',
  'voicemail',
  'otherOffices',
  'settings',
  'accountCodes',
  'workgroups',
] as const;
export type UserService = (typeof USER_SERVICES)[number];

/** Call Manager stands for telephony and video (the notes' "including telephony and video"). */
export const SERVICES_OF: Readonly<Record<UserService, readonly ServiceKey[]>> = {
  callManager: ['telephony', 'video'],
  instantMessages: ['im'],
  voicemail: ['voicemail'],
  otherOffices: ['drsIntersite'],
  settings: ['configChanges'],
  accountCodes: ['accountCodes'],
  workgroups: ['workgroups'],
};

export type UserStatus = 'working' | 'unavailable' | 'uncertain';

/** What the phone system as a whole is doing, in users' terms. */
export type Situation = 'normal' | 'failover' | 'secondary' | 'failback' | 'outage' | 'uncertain' | 'unknown';

export interface StatusLine {
  service: UserService;
  label: string;
  status: UserStatus;
  /** The status in words, with the expected end when there is one. */
  text: string;
  /** When the loss is expected to end (ISO 8601), for a loss that ends with the switch-over. */
  expectedEnd: string | null;
}

export type ActionKind = 'call-manager-address' | 'call-manager-address-next' | 'settings' | 'nothing';

export interface StatusAction {
  kind: ActionKind;
  text: string;
  /** The server address to type (only for the Call Manager actions). */
  address?: string;
}

/** `GET /status/:siteId.json`: field names are stable within {@link SITE_STATUS_FORMAT}. */
export interface SiteStatus {
  format: typeof SITE_STATUS_FORMAT;
  site: { id: string; name: string };
  overall: 'ok' | 'disrupted' | 'uncertain';
  headline: string;
  situation: {
    kind: Situation;
    text: string;
    /** When the switch-over started (ISO 8601); null outside one. */
    startedAt: string | null;
    /** When it is expected to be done (ISO 8601), and from what. */
    expectedEnd: string | null;
    estimate: { basis: 'history' | 'vendor'; lowMs: number; highMs: number; text: string } | null;
    overrun: boolean;
  };
  services: StatusLine[];
  actions: StatusAction[];
  /** The address Call Manager users must type now (the secondary's while it controls the system); null when none is right. */
  callManagerAddress: string | null;
  helpdesk: string | null;
  /** False while the monitor cannot vouch for what it shows (its network is down, it is blind or starting). */
  checked: boolean;
}

export interface StatusPageContext {
  words: StatusWords;
  page: Pick<StatusPageConfig, 'language' | 'timeZone' | 'helpdesk' | 'clock'>;
}

function situationOf(state: HqState, checked: boolean): Situation {
  if (!checked) return 'unknown';
  switch (state) {
    case 'primary-active':
      return 'normal';
    case 'failing-over':
      return 'failover';
    case 'secondary-active':
      return 'secondary';
    case 'failing-back':
      return 'failback';
    case 'hq-down':
      return 'outage';
    case 'dual-active':
      return 'uncertain';
    case 'starting':
    case 'monitor-blind':
      return 'unknown';
  }
}

/** `14:32` in the page's language and time zone. */
export function clockTime(iso: string, page: StatusPageContext['page']): string {
  return new Intl.DateTimeFormat(page.language, {
    hour: 'numeric',
    minute: '2-digit',
    hourCycle: page.clock === '12h' ? 'h12' : 'h23',
    timeZone: page.timeZone,
  }).format(new Date(iso));
}

/** Whether a service is lost because the HQ pair is switching over: its reason names a provider failing over or back. */
function lostToSwitchOver(service: ServiceState): boolean {
  return (service.params ?? []).some((p) => Array.isArray(p) && (p[1] === 'failing-over' || p[1] === 'failing-back'));
}

function userStatus(services: readonly ServiceState[], checked: boolean): UserStatus | null {
  const known = services.filter((s) => s.status !== 'n/a');
  if (known.length === 0) return null;
  if (!checked) return 'uncertain';
  if (known.some((s) => s.status === 'down')) return 'unavailable';
  if (known.some((s) => s.status === 'unknown' || s.atRisk)) return 'uncertain';
  return 'working';
}

function stateWord(service: UserService, status: UserStatus, words: StatusWords): string {
  if (service === 'callManager')
    return status === 'working'
      ? words.states.callManagerWorking
      : status === 'unavailable'
        ? words.states.callManagerUnavailable
        : words.states.callManagerUncertain;
  return words.states[status];
}

interface Window {
  startedAt: string;
  expectedEnd: string;
  estimate: NonNullable<SiteStatus['situation']['estimate']>;
  overrun: boolean;
}

/** The open failover's or failback's expected end: its start plus the high end of the usual range. */
function switchOverWindow(state: LiveState, words: StatusWords): Window | null {
  const window = state.hq.window;
  if (!window || window.kind === 'outage') return null;
  const basis = window.estimate?.basis ?? 'vendor';
  const lowMs = window.estimate?.lowMs ?? window.expectedMinMs;
  const highMs = window.estimate?.highMs ?? window.expectedMaxMs;
  const range = formatRange(lowMs, highMs);
  const text = fill(basis === 'history' ? words.estimateHistory : words.estimateVendor, { range });
  const endMs = Date.parse(window.startedAt) + highMs;
  return {
    startedAt: window.startedAt,
    expectedEnd: new Date(endMs).toISOString(),
    estimate: { basis, lowMs, highMs, text },
    overrun: Date.parse(state.at) > endMs,
  };
}

function actionsOf(state: LiveState, site: SiteView, lines: readonly StatusLine[], words: StatusWords, checked: boolean): StatusAction[] {
  const actions: StatusAction[] = [];
  if (!checked) return actions;
  const { hq } = state;
  if (hq.state === 'secondary-active' && site.callManagerAddress)
    actions.push({
      kind: 'call-manager-address',
      address: site.callManagerAddress,
      text: fill(words.actions.secondaryAddress, { address: site.callManagerAddress }),
    });
  else if ((hq.state === 'failing-over' || hq.state === 'failing-back') && hq.targetAddress) {
    const template = hq.state === 'failing-over' ? words.actions.nextAddressFailover : words.actions.nextAddressFailback;
    actions.push({ kind: 'call-manager-address-next', address: hq.targetAddress, text: fill(template, { address: hq.targetAddress }) });
  } else if (hq.state === 'primary-active' && site.callManagerAddress)
    actions.push({
      kind: 'call-manager-address',
      address: site.callManagerAddress,
      text: fill(words.actions.usualAddress, { address: site.callManagerAddress }),
    });
  if (lines.some((l) => l.service === 'settings' && l.status === 'unavailable'))
    actions.push({ kind: 'settings', text: words.actions.settings });
  if (hq.state === 'primary-active' && lines.every((l) => l.status === 'working'))
    actions.unshift({ kind: 'nothing', text: words.actions.nothing });
  return actions;
}

/**
 * What one site's users have and what they should do now, from the live state. `checked` is false
 * while the monitor itself cannot see (its network is down, or it is blind or starting): then
 * nothing is said to work or not.
 */
export function siteStatus(state: LiveState, site: SiteView, ctx: StatusPageContext): SiteStatus {
  const { words, page } = ctx;
  const checked = state.monitor.healthy && state.hq.state !== 'monitor-blind' && state.hq.state !== 'starting';
  const kind = situationOf(state.hq.state, checked);
  const window = switchOverWindow(state, words);
  const services: StatusLine[] = [];
  for (const service of USER_SERVICES) {
    const states = SERVICES_OF[service].map((key) => site.services[key]);
    const status = userStatus(states, checked);
    if (status === null) continue;
    let text = stateWord(service, status, words);
    let expectedEnd: string | null = null;
    if (status === 'unavailable' && window && states.some((s) => s.status === 'down' && lostToSwitchOver(s))) {
      text += ` ${window.overrun ? fill(words.overrun, { estimate: window.estimate.text }) : fill(words.until, { time: clockTime(window.expectedEnd, page), estimate: window.estimate.text })}`;
      expectedEnd = window.overrun ? null : window.expectedEnd;
    }
    services.push({ service, label: words.services[service], status, text, expectedEnd });
  }
  const overall = services.some((l) => l.status === 'unavailable')
    ? 'disrupted'
    : services.some((l) => l.status === 'uncertain')
      ? 'uncertain'
      : 'ok';
  const situationText =
    kind === 'failover' || kind === 'failback'
      ? fill(words.situations[kind], { start: window ? clockTime(window.startedAt, page) : clockTime(state.hq.since, page) })
      : words.situations[kind];
  return {
    format: 'hqwatch-site-status/1',
    site: { id: site.id, name: site.name },
    overall,
    headline: fill(words.headlines[overall], { site: site.name }),
    situation: {
      kind,
      text: situationText,
      startedAt: window?.startedAt ?? null,
      expectedEnd: window && !window.overrun ? window.expectedEnd : null,
      estimate: window?.estimate ?? null,
      overrun: window?.overrun ?? false,
    },
    services,
    actions: actionsOf(state, site, services, words, checked),
    callManagerAddress: checked ? site.callManagerAddress : null,
    helpdesk: page.helpdesk ?? null,
    checked,
  };
}

/** The one-word overall state of a site for the index, without building its whole status. */
export function siteOverall(state: LiveState, site: SiteView): SiteStatus['overall'] {
  const checked = state.monitor.healthy && state.hq.state !== 'monitor-blind' && state.hq.state !== 'starting';
  if (!checked) return 'uncertain';
  let uncertain = false;
  for (const service of USER_SERVICES) {
    const status = userStatus(
      SERVICES_OF[service].map((key) => site.services[key]),
      true,
    );
    if (status === 'unavailable') return 'disrupted';
    if (status === 'uncertain') uncertain = true;
  }
  return uncertain ? 'uncertain' : 'ok';
}

/** The user service a monitor service belongs to. */
export function userServiceOf(key: ServiceKey): UserService {
  return USER_SERVICES.find((s) => SERVICES_OF[s].includes(key))!;
}
