import type { AlertEvent, AlertLoss, AlertSeverity } from './alert-events.ts';
import type { WindowClosedEvent } from './history.ts';
import { CALL_MANAGER_LOSS, GLOBAL_LOSS_TEXT, WINDOW_NAME, clockText, hqDownHeadline, lossLines } from './hq-words.ts';
import type { HqState, LiveState, NodeView, ServiceKey, SiteView } from './types.ts';
import { PRIMARY_ID, SECONDARY_ID, SERVICE_KEYS } from './types.ts';
import { estimateText, formatRange } from './window-estimate.ts';

/**
 * The words of alert messages, built on the banner's own (`hq-words.ts`), so a page on a phone and
 * the screen in the NOC say the same thing.
 */

/** An HQ state as a headline word: "Failing over". */
export const HQ_STATE_WORD: Record<HqState, string> = {
  starting: 'Starting',
  'primary-active': 'Primary active',
  'failing-over': 'Failing over',
  'secondary-active': 'Secondary active',
  'failing-back': 'Failing back',
  'hq-down': 'HQ down',
  'dual-active': 'Dual active',
  'monitor-blind': 'Monitor blind',
};

/** The site matrix's service names, for the per-site lines. */
const SERVICE_WORD: Record<ServiceKey, string> = {
  telephony: 'Call Manager telephony',
  video: 'Call Manager video',
  im: 'IM',
  voicemail: 'voicemail',
  drsIntersite: 'intersite calls (DRS)',
  configChanges: 'config changes',
  accountCodes: 'account codes',
  workgroups: 'workgroups',
};

/** "5–20 min" from the expected range. */
export function rangeText(minMs: number, maxMs: number): string {
  return formatRange(minMs, maxMs);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "Call Manager telephony & video lost at 3 sites (520 users)". */
export function lossText(loss: AlertLoss): string {
  const users = loss.users === null ? '' : ` (${plural(loss.users, 'user')})`;
  return `${loss.what} lost at ${plural(loss.sites, 'site')}${users}`;
}

/**
 * What one site has lost, in a few words: "Austin: voicemail, intersite calls (DRS)". The one place
 * per-site reasons are worded for alerts, so a shared reason renderer can take over here.
 */
export function siteLossText(site: SiteView): string | null {
  const lost = SERVICE_KEYS.filter((key) => site.services[key].status === 'down' && key !== 'video');
  // Video goes with telephony; the global services are said once for all sites.
  const own = lost.filter((key) => key !== 'configChanges' && key !== 'accountCodes' && key !== 'workgroups');
  if (own.length === 0) return null;
  const words = own.map((key) => (key === 'telephony' ? CALL_MANAGER_LOSS : SERVICE_WORD[key]));
  return `${site.name}: ${words.join(', ')}`;
}

/**
 * Ids of the sites that lost a service of their own (what route filters by site match): the
 * services lost everywhere in a window (config changes, account codes, workgroups) do not count,
 * or every site would match every window.
 */
export function impactedSites(state: LiveState): string[] {
  return state.sites.filter((site) => siteLossText(site) !== null).map((site) => site.id);
}

/** Sites listed by name in a message at most; the rest are counted. */
const SITES_LISTED = 8;

function siteLines(sites: readonly SiteView[]): string[] {
  const lines = sites.map(siteLossText).filter((line): line is string => line !== null);
  if (lines.length <= SITES_LISTED) return lines;
  return [...lines.slice(0, SITES_LISTED), `… and ${plural(lines.length - SITES_LISTED, 'more site')}`];
}

/** What Call Manager users must type: the secondary's IP while it is HQ, the target's once the move completes. */
function callManagerLines(state: LiveState): string[] {
  const { hq } = state;
  if (hq.state === 'secondary-active' && hq.activeAddress)
    return [`Call Manager users logging in now must specify the IP address of the secondary server: ${hq.activeAddress}`];
  if (hq.targetAddress && hq.window && hq.window.kind !== 'outage') {
    const server = hq.window.kind === 'failover' ? 'secondary' : 'primary';
    return [
      `After the ${hq.window.kind} completes, Call Manager users logging in must specify the IP address of the ${server} server: ${hq.targetAddress}`,
    ];
  }
  return [];
}

function windowLine(state: LiveState): string | null {
  const window = state.hq.window;
  if (!window) return null;
  const elapsed = `${clockText(window.elapsedMs)} elapsed`;
  if (window.kind === 'outage') return elapsed;
  const range = rangeText(window.expectedMinMs, window.expectedMaxMs);
  if (window.overrun) return `${elapsed} — longer than the usual ${range}`;
  return `${elapsed} — ${window.estimate ? estimateText(window.estimate, window.kind) : `typically ${range}`}`;
}

/** What the state means for people, in the banner's words. */
function stateDetail(state: LiveState): string | null {
  const { hq } = state;
  if (hq.window && hq.window.kind !== 'outage')
    return hq.window.overrun
      ? `Past the expected maximum of ${clockText(hq.window.expectedMaxMs)}: escalate and check both HQ servers.`
      : 'No Headquarters services until it completes.';
  switch (hq.state) {
    case 'hq-down':
      return 'No Headquarters services.';
    case 'dual-active':
      return 'Primary and secondary both answer as Headquarters. Site statuses are computed on the assumption that HQ services are answered, as both servers claim: every one is at risk.';
    case 'secondary-active':
      return 'The secondary HQ server controls the system.';
    case 'monitor-blind':
      return state.monitor.reason ?? 'The witness probes fail, so nothing is declared down.';
    default:
      return null;
  }
}

/** The headline of the HQ state as it is now, for messages that say where things stand. */
export function hqTitle(state: LiveState): string {
  const { hq } = state;
  const window = hq.window;
  if (window && window.kind !== 'outage')
    return window.overrun ? `${WINDOW_NAME[window.kind]} overrun` : `${WINDOW_NAME[window.kind]} in progress`;
  if (window || hq.state === 'hq-down') return hqDownHeadline(state);
  switch (hq.state) {
    case 'secondary-active':
      return 'Running on the secondary HQ server';
    case 'primary-active':
      return 'The primary HQ server is serving';
    case 'dual-active':
      return 'Split brain: both HQ servers are serving';
    case 'monitor-blind':
      return 'Monitor blind: hqwatch cannot see the network';
    default:
      return `HQ is now: ${HQ_STATE_WORD[hq.state]}`;
  }
}

/** "Failover finished after 12:03, within the expected 5–20 min" — or what an outage turned out to be. */
export function closedTitle(closed: WindowClosedEvent, direction: 'failover' | 'failback' | null): string {
  const took = clockText(closed.durationMs);
  if (closed.kind !== 'outage') {
    const range = rangeText(closed.expectedMinMs, closed.expectedMaxMs);
    const verdict = closed.overrun ? 'longer than' : closed.durationMs < closed.expectedMinMs ? 'shorter than' : 'within';
    return `${WINDOW_NAME[closed.kind]} finished after ${took}, ${verdict} the expected ${range}`;
  }
  if (direction === 'failover') return `HQ outage over after ${took}: the primary serves again, no failover happened`;
  if (direction === 'failback') return `HQ outage over after ${took}: the secondary serves again, no failback happened`;
  return `HQ outage over after ${took}`;
}

/** What an HQ message says beyond its title: the clock, the meaning, what is lost where, the address to type. */
export function hqDetails(state: LiveState): string[] {
  const losses = lossLines(state.impact).map(lossText);
  const global = state.impact.globalServicesDown ? [GLOBAL_LOSS_TEXT] : [];
  const sites = state.hq.state === 'monitor-blind' ? [] : siteLines(state.sites);
  return [windowLine(state), stateDetail(state), ...losses, ...global, ...callManagerLines(state), ...sites].filter(
    (line): line is string => line !== null,
  );
}

/** How a distributed server that stopped serving is, in words. */
export function serverDownTitle(node: Pick<NodeView, 'name' | 'status' | 'flapping'>): string {
  if (node.flapping) return `${node.name} flapping: it comes and goes`;
  return node.status === 'reachable'
    ? `${node.name} not serving: the host answers, its services do not`
    : `${node.name} down: nothing answers`;
}

/** The sites a server's loss takes services from, and what each lost. */
export function serverDetails(state: LiveState, serverSites: readonly string[]): string[] {
  const ids = new Set(serverSites);
  return siteLines(state.sites.filter((site) => ids.has(site.id)));
}

/** "the secondary HQ server" / "the primary HQ server". */
export function hqServerWords(id: string): string {
  return id === PRIMARY_ID ? 'the primary HQ server' : 'the secondary HQ server';
}

export function standbyLostTitle(id: string, flapping: boolean): string {
  return `Standby not ready: ${hqServerWords(id)} ${flapping ? 'comes and goes (flapping)' : 'does not answer'}`;
}

export function standbyLostDetail(id: string): string {
  const move = id === SECONDARY_ID ? 'failover' : 'failback';
  const server = id === SECONDARY_ID ? 'secondary' : 'primary';
  return `No service is lost, but a ${move} could not complete now: check the ${server} before anything happens to the ${server === 'secondary' ? 'primary' : 'secondary'}.`;
}

/** How urgent an HQ message is, from the state: no HQ services (or a split brain) pages. */
export function hqSeverity(state: LiveState): AlertSeverity {
  if (state.hq.window || state.hq.state === 'hq-down' || state.hq.state === 'dual-active') return 'critical';
  return state.hq.state === 'primary-active' ? 'info' : 'warning';
}

/** The event that opens an HQ incident's thread, from the state it opens in. */
export function openingEvent(state: LiveState): AlertEvent {
  if (state.hq.window) return state.hq.window.kind === 'outage' ? 'hq.down' : 'window.opened';
  if (state.hq.state === 'hq-down') return 'hq.down';
  if (state.hq.state === 'dual-active') return 'hq.split-brain';
  return 'incident.opened';
}
