/**
 * The socket's wire (contract version 3): the LiveState as facts, compact. REST keeps the full
 * LiveState (`types.ts`); only the socket carries this form, and `wire-decode.ts` turns it back
 * into the LiveState on the client. `docs/wire.md` describes it.
 *
 * - Reasons travel as codes and parameters, never sentences; the client words them.
 * - Every message carries its own table of service states (`svc`): a service is an index into it,
 *   so the 500 sites that lost configuration changes in a failover share one entry.
 * - A delta holds only what changed: the changed services of a changed site, the changed fields
 *   of a node and of its probes, the changed fields of `hq` and `impact`.
 */
import type { ReasonCode, ReasonParams } from './reason-codes.ts';
import type { StatusDbView } from './status-db-types.ts';
import type {
  HqView,
  ImpactSummary,
  IncidentRef,
  MonitorView,
  NodeRole,
  NodeStatus,
  ProbeKind,
  ServiceKey,
  ServiceStatus,
} from './types.ts';

/** Each service's one-letter key on the wire. */
export const SERVICE_LETTERS = {
  telephony: 't',
  video: 'v',
  im: 'i',
  voicemail: 'm',
  drsIntersite: 'd',
  configChanges: 'c',
  accountCodes: 'a',
  workgroups: 'w',
} as const satisfies Record<ServiceKey, string>;
export type ServiceLetter = (typeof SERVICE_LETTERS)[ServiceKey];

/** A service's state without its site: status, reason code and parameters, at risk (`k`). */
export interface WireService {
  s: ServiceStatus;
  r?: ReasonCode;
  /** Absent when empty. */
  p?: ReasonParams;
  /** Computed on the split-brain assumption. */
  k?: 1;
}

/** A reason without a service (a site's contradiction). */
export interface WireReason {
  r: ReasonCode;
  p?: ReasonParams;
}

/** One probe: kind, target, ok, latency, error. */
export interface WireProbe {
  k: ProbeKind;
  t: string;
  o: boolean;
  l: number | null;
  e?: string;
}

/** The fields of a probe that changed; `e: null` clears its error. */
export interface WireProbeChange {
  k?: ProbeKind;
  t?: string;
  o?: boolean;
  l?: number | null;
  e?: string | null;
}

/** A Windows service of a server from the status database: name, display name, `CurrentState`. */
export type WireServerService = [name: string, displayName: string, state: number];

/**
 * A node. In a snapshot, and for a node a delta adds, every field; otherwise only those that
 * changed: `p` replaces the probe list (its length or order changed), `pc` changes probes by
 * their index. `services: null` says the status database no longer lists any.
 */
export interface WireNode {
  id: string;
  /** name, address, role, status, flapping, since */
  n?: string;
  a?: string;
  r?: NodeRole;
  st?: NodeStatus;
  f?: boolean;
  si?: string;
  p?: WireProbe[];
  pc?: Record<string, WireProbeChange>;
  services?: WireServerService[] | null;
}

/** A site's voice switches (`SiteSwitches`), the worst status by its code only: its words are the client's. */
export interface WireSwitches {
  total: number;
  inService: number;
  lost: number;
  worst: number | null;
  since: string;
  missing?: string[];
}

/**
 * A site. `s` gives its services as entries of the message's `svc` table: all eight as an array in
 * the order of `SERVICE_KEYS` (a snapshot, a site a delta adds, a site whose every service
 * changed), or only the changed ones as an object by service letter. The Call Manager
 * address is `hq.activeAddress` (one rule everywhere), so `cm` is sent only where a site's
 * address is not what the receiver would take: the new `hq.activeAddress` when `hq` changed in
 * the same message, else the site's address so far. `sw: null` and `x: null` remove them.
 */
export interface WireSite {
  id: string;
  /** name */
  n?: string;
  cm?: string | null;
  s?: number[] | Partial<Record<ServiceLetter, number>>;
  sw?: WireSwitches | null;
  /** contradiction */
  x?: WireReason | null;
}

/** The full state, answered to `state:sync`: what the first paint and every resync start from. */
export interface WireState {
  contractVersion: number;
  seq: number;
  at: string;
  hq: HqView;
  nodes: WireNode[];
  sites: WireSite[];
  incident: IncidentRef | null;
  monitor: MonitorView;
  impact: ImpactSummary;
  statusDb?: StatusDbView;
  svc: WireService[];
}

/**
 * Sites whose only change is the same set of services, given once: the services as a site's `s`
 * would give them, then the ids of every site they changed that way. A failover changes hundreds
 * of sites in a handful of ways; each way travels once, each site as its id alone.
 */
export type WireSiteGroup = [services: NonNullable<WireSite['s']>, ids: string[]];

/**
 * What changed since the previous seq (`state:changed`). Absent keys did not change; `hq` and
 * `impact` hold only their changed fields; `rn`/`rs` are node and site ids that are gone, `no`/`so`
 * the new order of all of them after a reload; `sg` groups the sites whose only change is the same
 * services; `svc` is present when a site in `sites` or `sg` refers to it. A delta of `seq` and `at`
 * alone is a heartbeat.
 */
export interface WireDelta {
  seq: number;
  at: string;
  hq?: Partial<HqView>;
  nodes?: WireNode[];
  sites?: WireSite[];
  sg?: WireSiteGroup[];
  rn?: string[];
  rs?: string[];
  /** Node and site ids in their new order, when a config reload added, dropped or reordered some. */
  no?: string[];
  so?: string[];
  incident?: IncidentRef | null;
  monitor?: MonitorView;
  impact?: Partial<ImpactSummary>;
  /** Null: the status database is no longer configured. */
  statusDb?: StatusDbView | null;
  svc?: WireService[];
}
