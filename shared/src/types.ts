/** The wire contract of hqwatch: what the server sends and the client renders. */

import type { ReasonCode, ReasonParams } from './reason-codes.ts';
import type { ServerServiceView, SiteSwitches, StatusDbView } from './status-db-types.ts';

export const HQ_STATES = [
  'starting',
  'primary-active',
  'failing-over',
  'secondary-active',
  'failing-back',
  'hq-down',
  'dual-active',
  'monitor-blind',
] as const;
export type HqState = (typeof HQ_STATES)[number];

export const SERVICE_KEYS = [
  'telephony',
  'video',
  'im',
  'voicemail',
  'drsIntersite',
  'configChanges',
  'accountCodes',
  'workgroups',
] as const;
export type ServiceKey = (typeof SERVICE_KEYS)[number];

/** Services lost everywhere during a window; they say nothing about one site in particular. */
export const GLOBAL_SERVICES: readonly ServiceKey[] = ['configChanges', 'accountCodes', 'workgroups'];

export type ServiceStatus = 'ok' | 'down' | 'unknown' | 'n/a';
export type NodeStatus = 'serving' | 'reachable' | 'down' | 'unknown';
export type NodeRole = 'hq-primary' | 'hq-secondary' | 'distributed';
export type WindowKind = 'failover' | 'failback' | 'outage';
export type ProbeKind = 'tcp' | 'http' | 'sip' | 'icmp';

/** Node ids of the HQ pair, fixed by the contract. */
export const PRIMARY_ID = 'primary';
export const SECONDARY_ID = 'secondary';
/** The name a site uses in `users`, `voicemail` or `drs` for "through the HQ pair". */
export const HQ_REF = 'hq';

export interface ServiceState {
  status: ServiceStatus;
  /** The reason in words: `renderReason(reasonCode, params, { site: name, service })`. */
  reason?: string;
  /** The reason as data (`docs/wire.md` lists the codes); present whenever `reason` is. */
  reasonCode?: ReasonCode;
  params?: ReasonParams;
  /**
   * Set while `dual-active`: the status is computed on the assumption that HQ services are
   * answered (both servers claim HQ), which nobody can vouch for.
   */
  atRisk?: boolean;
}

/** Which HQ server a move is heading to: the secondary for a failover, the primary for a failback. */
export type MoveDirection = 'failover' | 'failback';

/** Node id of an HQ server. */
export type HqNodeId = 'primary' | 'secondary';

/**
 * Why HQ is down (`hq-down`), machine-readable, so a banner can say it in words:
 * - `both-down`: neither HQ server answers at all (no probe passes, no host answers);
 * - `target-down`: a failover (failback) was under way and the secondary (primary) it needs does not answer;
 * - `target-unknown`: a failover (failback) was under way and the server it needs has no verdict yet
 *   (its probes were just reloaded);
 * - `direction-unknown`: neither server serves and hqwatch never saw which one was HQ (it started
 *   that way, or after a split brain), so no failover or failback is known to be under way.
 */
export type HqDownCause = 'both-down' | 'target-down' | 'target-unknown' | 'direction-unknown';

/**
 * Whether the HQ server that would take over is ready to: its host answers and it is not flapping
 * (`ready`), it does not (`not-ready`), or there is no such server to speak of (`unknown`: split
 * brain, starting, monitor blind, no direction known, or no verdict on it yet).
 */
export type StandbyStatus = 'ready' | 'not-ready' | 'unknown';

/**
 * How long an open failover or failback usually takes, from this installation's past windows of
 * the same kind (`history`: the interquartile range, rounded), or the vendor's range when fewer
 * than {@link MIN_WINDOWS_FOR_ESTIMATE} are known (`vendor`: the configured expected window).
 */
export interface WindowEstimate {
  basis: 'history' | 'vendor';
  lowMs: number;
  highMs: number;
  /** Median of the past windows; null for the vendor's range. */
  medianMs: number | null;
  /** Past closed windows of the same kind the estimate was made from. */
  count: number;
}

export interface HqWindow {
  /** `failover`/`failback` while the server it moves to answers; `outage` while it does not, or no move is known. */
  kind: WindowKind;
  startedAt: string;
  elapsedMs: number;
  /** The configured expected range; it applies to failovers and failbacks only, never to an outage. */
  expectedMinMs: number;
  expectedMaxMs: number;
  /** Past the expected maximum; always false for an outage, which has no expected length. */
  overrun: boolean;
  /** How long this kind of window usually takes here (failover and failback only). */
  estimate?: WindowEstimate;
}

export interface HqView {
  state: HqState;
  since: string;
  /** The address Call Manager users must type now; null while no single server is HQ (windows included). */
  activeAddress: string | null;
  window: HqWindow | null;
  /**
   * The address Call Manager users will need once the open failover (failback) completes: the
   * secondary's (primary's). Null outside `failing-over` and `failing-back`.
   */
  targetAddress: string | null;
  /** Why HQ is down while `hq-down`; null in every other state. */
  cause: HqDownCause | null;
  /** The HQ server that would take over (see {@link StandbyStatus}), and whether it is ready to. */
  standby: StandbyStatus;
  standbyId: HqNodeId | null;
}

export interface ProbeView {
  kind: ProbeKind;
  target: string;
  ok: boolean;
  latencyMs: number | null;
  error?: string;
}

export interface NodeView {
  id: string;
  name: string;
  address: string;
  role: NodeRole;
  status: NodeStatus;
  flapping: boolean;
  since: string;
  probes: ProbeView[];
  /** Windows services of this server from the status database; absent when none are read. */
  services?: ServerServiceView[];
}

export interface SiteView {
  id: string;
  name: string;
  callManagerAddress: string | null;
  services: Record<ServiceKey, ServiceState>;
  /** The site's voice switches from the status database; absent when no status database is configured. */
  switches?: SiteSwitches;
  /** Where the status database contradicts the vendor's rules, in words; evidence only, never the impact. */
  contradiction?: string;
  /** The contradiction as data (`switches-lost`), beside its words. */
  contradictionCode?: ReasonCode;
  contradictionParams?: ReasonParams;
}

/** One line of the banner: how many sites and users lost a service. */
export interface LossCount {
  sites: number;
  /** Sum of `userCount` of those sites; `null` when none of them has a `userCount`. */
  users: number | null;
}

/** What the banner says is lost (extension of DESIGN.md's LiveState). */
export interface ImpactSummary {
  sitesImpacted: number;
  telephony: LossCount;
  voicemail: LossCount;
  drsIntersite: LossCount;
  /** Config changes, account codes and workgroups are down everywhere. */
  globalServicesDown: boolean;
}

export interface MonitorView {
  healthy: boolean;
  reason?: string;
  /** Probe interval, so clients can tell when updates stop coming (extension). */
  intervalMs: number;
}

export interface IncidentRef {
  id: string;
  startedAt: string;
}

/**
 * The version of the contract between a server and its dashboards: the socket's wire
 * (`wire-types.ts`), the reason codes and the LiveState. Bumped whenever a dashboard of the previous
 * version would misread what this one sends; a dashboard of another version reloads itself.
 * 1: sentences on the socket (up to 0.1.0). 2: reason codes, the compact wire. 3: site changes
 * that are the same services travel once, with the ids of their sites (`sg`).
 */
export const CONTRACT_VERSION = 3;

export interface LiveState {
  /** {@link CONTRACT_VERSION} of the server that built it. */
  contractVersion: number;
  seq: number;
  at: string;
  hq: HqView;
  nodes: NodeView[];
  sites: SiteView[];
  incident: IncidentRef | null;
  monitor: MonitorView;
  impact: ImpactSummary;
  /** The ShoreWare status database as a source; absent when none is configured. */
  statusDb?: StatusDbView;
}

/**
 * What changed since the previous event. Absent keys did not change; `nodes` and `sites` hold only
 * the entries that changed, matched by `id`. `removedNodes`/`removedSites` list ids that are gone
 * (after a config reload).
 */
export interface StateDelta {
  seq: number;
  at: string;
  hq?: HqView;
  nodes?: NodeView[];
  sites?: SiteView[];
  removedNodes?: string[];
  removedSites?: string[];
  incident?: IncidentRef | null;
  monitor?: MonitorView;
  impact?: ImpactSummary;
  /** Null: the status database is no longer configured. */
  statusDb?: StatusDbView | null;
}

/** JSON error body of every REST error. */
export interface ApiError {
  error: { code: string; message: string; field?: string };
}
