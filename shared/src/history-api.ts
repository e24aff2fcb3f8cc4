import { z } from 'zod';
import type { HistoryEvent, ImpactChangedEvent } from './history.ts';
import type { ReasonCode, ReasonParams } from './reason-codes.ts';
import type { StatusDbSourceEvent, SwitchStatusEvent } from './switch-history.ts';
import type { ServerServiceEvent } from './service-history.ts';
import type { AlertEvent, AlertMute, AlertSeverity } from './alert-events.ts';
import type { LossCount, NodeRole, ServiceKey, ServiceStatus, WindowEstimate, WindowKind } from './types.ts';

/** REST payloads of the history API: incidents, timelines, availability, annotations. */

/** Largest accepted annotation request body, in bytes. */
export const ANNOTATION_MAX_BYTES = 10 * 1024;

/** An ISO 8601 time with `Z` or an offset, as every history query and body takes it. */
export const isoTimeSchema = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2026-01-31T14:05:00Z' });

/** Body of `POST /api/incidents/:id/annotations`; the text is kept exactly as given. */
export const annotationInputSchema = z.strictObject({
  text: z.string({ error: 'text is required' }).min(1, 'text is empty').max(ANNOTATION_MAX_BYTES, 'text is too long'),
  at: isoTimeSchema.optional(),
  /** A follow-up: the postmortem lists it in its checklist. */
  followUp: z.boolean({ error: 'followUp must be true or false' }).optional(),
});
export type AnnotationInput = z.output<typeof annotationInputSchema>;

/** Body of `PATCH /api/incidents/:id/annotations/:annotationId`: mark a note as a follow-up, or not. */
export const annotationUpdateSchema = z.strictObject({
  followUp: z.boolean({ error: 'followUp must be true or false' }),
});

/** A stored annotation. */
export interface Annotation {
  id: string;
  incidentId: string;
  /** The moment of the incident the note is about. */
  at: string;
  createdAt: string;
  text: string;
  /** Marked as a follow-up: the postmortem's checklist. */
  followUp: boolean;
}

/** Said beside a window kind recorded before hqwatch decided kinds by how windows ended. */
export const LEGACY_KIND_NOTE = 'kind recorded before hqwatch could tell a failover from a primary outage';

/** A window as the review shows it; `durationMs` of an open window runs to the list's `asOf`. */
export interface WindowSummary {
  kind: WindowKind;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  expectedMinMs: number;
  expectedMaxMs: number;
  /** Never for an outage, which has no expected length. */
  overrun: boolean;
  /**
   * Against the expected range: shorter than its minimum, within it, longer, or still open. An
   * outage is measured against nothing (`no-expected-length`) once closed.
   */
  verdict: 'short' | 'expected' | 'overrun' | 'open' | 'no-expected-length';
  /** Why the kind may not mean what it says ({@link LEGACY_KIND_NOTE}); absent for windows recorded since. */
  kindNote?: string;
  /** For an open failover or failback: how long it usually takes here, as the live banner says. */
  estimate?: WindowEstimate;
  /** It started inside a planned maintenance window: that window's reason. */
  planned?: string;
}

/** The moment of an incident when the most sites had lost telephony (then the most sites anything). */
export interface WorstImpact {
  at: string;
  /** Sites that had lost any service, as the live banner counts them. */
  sitesImpacted: number;
  telephony: LossCount;
}

export interface IncidentSummary {
  id: string;
  startedAt: string;
  endedAt: string | null;
  /** Up to `endedAt`, or to `asOf` while open. */
  durationMs: number;
  /** Total time of its windows: time without HQ services. */
  noServiceMs: number;
  windows: WindowSummary[];
  worstImpact: WorstImpact | null;
  annotationCount: number;
  /** It started inside a planned maintenance window (a drill): that window's reason. */
  planned?: string;
}

export interface IncidentList {
  incidents: IncidentSummary[];
  total: number;
  limit: number;
  offset: number;
  /** The last moment the monitor recorded; open incidents and windows are measured to it. */
  asOf: string | null;
}

/** A stretch of time a service of a site was not `ok`, clipped to the incident. */
export interface ImpactInterval {
  status: ServiceStatus;
  from: string;
  /** Null while still open. */
  to: string | null;
  durationMs: number;
  /** Why, in words; intervals recorded since contract version 2 also say it as data (`docs/wire.md`). */
  reason?: string;
  reasonCode?: ReasonCode;
  params?: ReasonParams;
}

export interface SiteImpact {
  siteId: string;
  name: string;
  userCount: number | null;
  services: { service: ServiceKey; downMs: number; intervals: ImpactInterval[] }[];
}

/**
 * The impact changes of one moment for one service, grouped: every site whose `service` went from
 * `from` to `to` then. A failover changes thousands of site services at once; as groups they read.
 */
export interface ImpactGroupEntry {
  type: 'impact';
  at: string;
  incidentId: string | null;
  service: ServiceKey;
  from: ServiceStatus;
  to: ServiceStatus;
  siteIds: string[];
}

/** One line of an incident's timeline: a recorded event, or the impact changes of a moment. */
export type TimelineEntry = Exclude<HistoryEvent, ImpactChangedEvent> | ImpactGroupEntry;

/** A server of the configuration, as the postmortem names it and says which address Call Manager users needed. */
export interface IncidentServer {
  id: string;
  name: string;
  role: NodeRole;
  address: string;
}

/** An alert message of the incident, and what became of its deliveries. */
export interface IncidentAlert {
  at: string;
  event: AlertEvent;
  severity: AlertSeverity;
  title: string;
  /** Recorded but not sent, and why. */
  muted: AlertMute | null;
  deliveries: { channelId: string; state: 'pending' | 'sent' | 'failed' }[];
}

/** Everything about one incident: its summary, one ordered timeline and the impact per site. */
export interface IncidentDetail {
  incident: IncidentSummary;
  /** Transitions, node changes, windows, impact changes, gaps and annotations, oldest first. */
  timeline: TimelineEntry[];
  /** Sites that lost something during the incident, with the durations. */
  impact: SiteImpact[];
  asOf: string | null;
  /** Voice switch changes read from the status database during the incident, oldest first; absent without one. */
  switchChanges?: SwitchStatusEvent[];
  /** The status database source's own changes (unreachable during a window, back) during the incident. */
  statusDbChanges?: StatusDbSourceEvent[];
  /**
   * Server service state changes read from the status database during the incident, oldest first,
   * led by the last change of each service not running when it opened; absent without one.
   */
  serviceChanges?: ServerServiceEvent[];
  /** The configured servers (names, addresses) as of the read: the postmortem names them and the Call Manager address. */
  servers?: IncidentServer[];
  /** Alert messages recorded for the incident, oldest first, with their deliveries. */
  alerts?: IncidentAlert[];
}

export interface ServiceAvailability {
  /** Fraction of monitored time the service was `ok`, `n/a` time left out; null when never measured. */
  ok: number | null;
  okMs: number;
  downMs: number;
  unknownMs: number;
  naMs: number;
}

export interface SiteAvailability {
  siteId: string;
  name: string;
  services: Record<ServiceKey, ServiceAvailability>;
}

export interface AvailabilityReport {
  from: string;
  to: string;
  /** Time the monitor was running within the range; the rest is not counted as uptime. */
  monitoredMs: number;
  unmonitoredMs: number;
  /** Stretches of the range the monitor was not running. */
  gaps: { from: string; to: string }[];
  sites: SiteAvailability[];
  /** Time of the range inside planned maintenance windows, and whether it was counted (`include`, the default) or left out. */
  plannedMs?: number;
  planned?: 'include' | 'exclude';
}

/** The store's own health, in `/api/health` and the live state. */
export interface StoreHealth {
  ok: boolean;
  sizeBytes: number;
  error?: string;
  /** Writes waiting for a retry after a failure. */
  queued: number;
}
