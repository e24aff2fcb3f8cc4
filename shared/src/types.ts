/** The wire contract of hqwatch: what the server sends and the client renders. */

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
  reason?: string;
  /** Set while `dual-active`: the status is kept but cannot be trusted. */
  atRisk?: boolean;
}

export interface HqWindow {
  kind: WindowKind;
  startedAt: string;
  elapsedMs: number;
  expectedMinMs: number;
  expectedMaxMs: number;
  overrun: boolean;
}

export interface HqView {
  state: HqState;
  since: string;
  activeAddress: string | null;
  window: HqWindow | null;
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

export interface LiveState {
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
