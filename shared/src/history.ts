import { z } from 'zod';
import type { EngineCore, HqMachine } from './engine-types.ts';
import type { HqState, LossCount, NodeStatus, ServiceKey, ServiceStatus, SiteView, WindowKind } from './types.ts';
import { SERVICE_KEYS } from './types.ts';

/**
 * What the history store records. Every event carries the incident it belongs to (null outside
 * incidents) so an incident's timeline is one indexed lookup. Times are ISO 8601 UTC.
 */
export type HistoryEvent =
  | HqTransitionEvent
  | NodeStatusEvent
  | WindowOpenedEvent
  | WindowClosedEvent
  | IncidentOpenedEvent
  | IncidentClosedEvent
  | ImpactChangedEvent
  | MonitorGapEvent
  | AnnotationEvent;

export type HistoryEventType = HistoryEvent['type'];

interface EventBase {
  at: string;
  incidentId: string | null;
}

export interface HqTransitionEvent extends EventBase {
  type: 'hq-transition';
  from: HqState;
  to: HqState;
  window: { kind: WindowKind; startedAt: string } | null;
}

/** A node's debounced status or its flapping flag changed (`from === to` when only flapping did). */
export interface NodeStatusEvent extends EventBase {
  type: 'node-status';
  nodeId: string;
  from: NodeStatus;
  to: NodeStatus;
  flapping: boolean;
}

/**
 * A window opened. An outage window that learns its direction is announced again with the same
 * `startedAt` and its new kind.
 */
export interface WindowOpenedEvent extends EventBase {
  type: 'window-opened';
  kind: WindowKind;
  startedAt: string;
  expectedMinMs: number;
  expectedMaxMs: number;
}

export interface WindowClosedEvent extends EventBase {
  type: 'window-closed';
  kind: WindowKind;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  expectedMinMs: number;
  expectedMaxMs: number;
  /** Longer than the expected maximum. */
  overrun: boolean;
}

export interface IncidentOpenedEvent extends EventBase {
  type: 'incident-opened';
  incidentId: string;
  startedAt: string;
}

export interface IncidentClosedEvent extends EventBase {
  type: 'incident-closed';
  incidentId: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

/** One service of one site changed status; the reason is the new status's. */
export interface ImpactChangedEvent extends EventBase {
  type: 'impact-changed';
  siteId: string;
  service: ServiceKey;
  from: ServiceStatus;
  to: ServiceStatus;
  reason?: string;
}

/** The monitor was not running from `from` to `to`: nothing is known of that time. */
export interface MonitorGapEvent extends EventBase {
  type: 'monitor-gap';
  from: string;
  to: string;
  durationMs: number;
}

/** An operator's note on an incident; `at` is the moment it refers to. */
export interface AnnotationEvent extends EventBase {
  type: 'annotation';
  incidentId: string;
  id: string;
  text: string;
  createdAt: string;
}

/** One side of {@link deriveEvents}: the engine core and the sites the impact engine made of it. */
export interface HistoryFrame {
  core: EngineCore;
  sites: readonly SiteView[];
}

function msBetween(from: string, to: string): number {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}

function hqEvents(a: HqMachine, b: HqMachine, at: string, expected: { minMs: number; maxMs: number }): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const current = b.incident?.id ?? a.incident?.id ?? null;
  if (a.state !== b.state)
    events.push({ type: 'hq-transition', at, incidentId: current, from: a.state, to: b.state, window: b.window && { ...b.window } });
  const expectedRange = { expectedMinMs: expected.minMs, expectedMaxMs: expected.maxMs };
  if (a.window && a.window.startedAt !== b.window?.startedAt) {
    const durationMs = msBetween(a.window.startedAt, at);
    const { kind, startedAt } = a.window;
    events.push({
      type: 'window-closed',
      at,
      incidentId: a.incident?.id ?? null,
      kind,
      startedAt,
      endedAt: at,
      durationMs,
      ...expectedRange,
      overrun: durationMs > expected.maxMs,
    });
  }
  if (a.incident && a.incident.id !== b.incident?.id) {
    const { id, startedAt } = a.incident;
    events.push({ type: 'incident-closed', at, incidentId: id, startedAt, endedAt: at, durationMs: msBetween(startedAt, at) });
  }
  if (b.incident && b.incident.id !== a.incident?.id) {
    events.push({ type: 'incident-opened', at, incidentId: b.incident.id, startedAt: b.incident.startedAt });
  }
  if (b.window && (b.window.startedAt !== a.window?.startedAt || b.window.kind !== a.window.kind)) {
    events.push({
      type: 'window-opened',
      at,
      incidentId: b.incident?.id ?? null,
      kind: b.window.kind,
      startedAt: b.window.startedAt,
      ...expectedRange,
    });
  }
  return events;
}

function impactEvents(prev: readonly SiteView[], next: readonly SiteView[], at: string, incidentId: string | null): ImpactChangedEvent[] {
  const events: ImpactChangedEvent[] = [];
  const before = new Map(prev.map((site) => [site.id, site]));
  for (const site of next) {
    const old = before.get(site.id);
    before.delete(site.id);
    for (const service of SERVICE_KEYS) {
      const state = site.services[service];
      // A site seen for the first time starts from `ok`, so what it has lost from the start is recorded.
      const from = old?.services[service].status ?? 'ok';
      if (state.status === from) continue;
      const event: ImpactChangedEvent = { type: 'impact-changed', at, incidentId, siteId: site.id, service, from, to: state.status };
      if (state.reason !== undefined) event.reason = state.reason;
      events.push(event);
    }
  }
  // A site dropped from the config no longer has services: its open intervals end here.
  for (const site of before.values()) {
    for (const service of SERVICE_KEYS) {
      const from = site.services[service].status;
      if (from === 'n/a') continue;
      events.push({
        type: 'impact-changed',
        at,
        incidentId,
        siteId: site.id,
        service,
        from,
        to: 'n/a',
        reason: `${site.name} is no longer in the configuration`,
      });
    }
  }
  return events;
}

/**
 * The history events one engine round produced, from the frames before and after it. Pure: the
 * engine calls it every round and the store records exactly what it returns.
 *
 * Order within a round: node status changes (the cause), the HQ transition, windows and incidents
 * that closed, those that opened, then impact changes. Events of the round that closes an incident
 * still belong to it. `expected` is the configured window range, recorded with each window so a
 * later config change does not rewrite history.
 */
export function deriveEvents(
  prev: HistoryFrame,
  next: HistoryFrame,
  now: string,
  expected: { minMs: number; maxMs: number },
): HistoryEvent[] {
  const incidentId = next.core.hq.incident?.id ?? prev.core.hq.incident?.id ?? null;
  const events: HistoryEvent[] = [];
  for (const [nodeId, tracker] of Object.entries(next.core.nodes)) {
    const before = prev.core.nodes[nodeId];
    const from = before?.status ?? 'unknown';
    if (from === tracker.status && (before?.flapping ?? false) === tracker.flapping) continue;
    events.push({ type: 'node-status', at: now, incidentId, nodeId, from, to: tracker.status, flapping: tracker.flapping });
  }
  events.push(...hqEvents(prev.core.hq, next.core.hq, now, expected));
  events.push(...impactEvents(prev.sites, next.sites, now, incidentId));
  return events;
}


/** Largest accepted annotation request body, in bytes. */
export const ANNOTATION_MAX_BYTES = 10 * 1024;

/** An ISO 8601 time with `Z` or an offset, as every history query and body takes it. */
export const isoTimeSchema = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as 2026-01-31T14:05:00Z' });

/** Body of `POST /api/incidents/:id/annotations`; the text is kept exactly as given. */
export const annotationInputSchema = z.strictObject({
  text: z.string({ error: 'text is required' }).min(1, 'text is empty').max(ANNOTATION_MAX_BYTES, 'text is too long'),
  at: isoTimeSchema.optional(),
});
export type AnnotationInput = z.output<typeof annotationInputSchema>;

/** A stored annotation. */
export interface Annotation {
  id: string;
  incidentId: string;
  /** The moment of the incident the note is about. */
  at: string;
  createdAt: string;
  text: string;
}

/** A window as the review shows it; `durationMs` of an open window runs to the list's `asOf`. */
export interface WindowSummary {
  kind: WindowKind;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  expectedMinMs: number;
  expectedMaxMs: number;
  overrun: boolean;
  /** Against the expected range: shorter than its minimum, within it, longer, or still open. */
  verdict: 'short' | 'expected' | 'overrun' | 'open';
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
  reason?: string;
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

/** Everything about one incident: its summary, one ordered timeline and the impact per site. */
export interface IncidentDetail {
  incident: IncidentSummary;
  /** Transitions, node changes, windows, impact changes, gaps and annotations, oldest first. */
  timeline: TimelineEntry[];
  /** Sites that lost something during the incident, with the durations. */
  impact: SiteImpact[];
  asOf: string | null;
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
}

/** The store's own health, in `/api/health` and the live state. */
export interface StoreHealth {
  ok: boolean;
  sizeBytes: number;
  error?: string;
  /** Writes waiting for a retry after a failure. */
  queued: number;
}
