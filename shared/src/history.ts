import type { EngineCore, HqMachine } from './engine-types.ts';
import { closedWindowKind, directionOf, hasExpectedLength } from './hq-machine.ts';
import { hqDownCause, standbyIdOf, standbyStatusOf } from './hq-view.ts';
import type {
  HqDownCause,
  HqNodeId,
  HqState,
  NodeStatus,
  ServiceKey,
  ServiceStatus,
  SiteView,
  StandbyStatus,
  WindowKind,
} from './types.ts';
import type { ReasonCode, ReasonParams } from './reason-codes.ts';
import { renderReason } from './reason-render.ts';
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
  | AnnotationEvent
  | StandbyChangedEvent;

interface EventBase {
  at: string;
  incidentId: string | null;
}

export interface HqTransitionEvent extends EventBase {
  type: 'hq-transition';
  from: HqState;
  to: HqState;
  window: { kind: WindowKind; startedAt: string } | null;
  /** Why HQ is down, on a transition to `hq-down` (absent from events recorded before it existed). */
  cause?: HqDownCause;
}

/**
 * The standby (the HQ server that would take over) changed, or became ready or not. Recorded in and
 * out of incidents: losing the standby while the primary is HQ opens no incident but is a warning
 * of its own (see {@link isStandbyLost}).
 */
export interface StandbyChangedEvent extends EventBase {
  type: 'standby-changed';
  /** The HQ server that would take over now (null: none, e.g. split brain). */
  standbyId: HqNodeId | null;
  /** The one before, when another server became the standby (a failover completed); else the same. */
  previousId: HqNodeId | null;
  /** The readiness of `standbyId` in the round before, and now. */
  from: StandbyStatus;
  to: StandbyStatus;
  /** The HQ state when it changed. */
  hqState: HqState;
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
 * A window opened. A window whose kind changes while it stays open (a failover whose target dies
 * becomes an outage, and a failover again when the target returns) is announced again with the
 * same `startedAt` and its new kind.
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
  /**
   * Decided by how the window ended: a failover that ended with the secondary serving, a failback
   * that ended with the primary serving; any other end makes it an `outage` (e.g. the primary
   * coming back with the secondary never having served).
   */
  kind: WindowKind;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  expectedMinMs: number;
  expectedMaxMs: number;
  /** Longer than the expected maximum; never for an outage, which has no expected length. */
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
  /** The new status's reason in words, and as data (`reasonCode`, `params`). */
  reason?: string;
  reasonCode?: ReasonCode;
  params?: ReasonParams;
  /** The site's name when it changed: the context its reason is worded in. */
  siteName?: string;
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
  /** Marked as a follow-up (absent on notes read before the mark existed: not one). */
  followUp?: boolean;
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

function hqEvents(prev: EngineCore, next: EngineCore, at: string, expected: { minMs: number; maxMs: number }): HistoryEvent[] {
  const [a, b]: [HqMachine, HqMachine] = [prev.hq, next.hq];
  const events: HistoryEvent[] = [];
  const current = b.incident?.id ?? a.incident?.id ?? null;
  if (a.state !== b.state) {
    const transition: HqTransitionEvent = {
      type: 'hq-transition',
      at,
      incidentId: current,
      from: a.state,
      to: b.state,
      window: b.window && { ...b.window },
    };
    const cause = hqDownCause(b, next.nodes);
    if (cause !== null) transition.cause = cause;
    events.push(transition);
  }
  const expectedRange = { expectedMinMs: expected.minMs, expectedMaxMs: expected.maxMs };
  if (a.window && a.window.startedAt !== b.window?.startedAt) {
    const durationMs = msBetween(a.window.startedAt, at);
    const kind = closedWindowKind(directionOf(a), b.state);
    events.push({
      type: 'window-closed',
      at,
      incidentId: a.incident?.id ?? null,
      kind,
      startedAt: a.window.startedAt,
      endedAt: at,
      durationMs,
      ...expectedRange,
      overrun: hasExpectedLength(kind) && durationMs > expected.maxMs,
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
      if (state.reasonCode !== undefined) {
        event.reasonCode = state.reasonCode;
        event.params = state.params ?? [];
        event.siteName = site.name;
      }
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
        reason: renderReason('removed', [], { site: site.name, service }),
        reasonCode: 'removed',
        params: [],
        siteName: site.name,
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
 * that closed, those that opened, the standby, then impact changes. Events of the round that closes an incident
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
  events.push(...hqEvents(prev.core, next.core, now, expected));
  const standby = standbyEvent(prev.core, next.core, now, incidentId);
  if (standby) events.push(standby);
  events.push(...impactEvents(prev.sites, next.sites, now, incidentId));
  return events;
}

/**
 * The standby event of a round: the standby's readiness changed, or another server became the
 * standby (once a failover completes, the primary is). Readiness is compared for the same server,
 * so a completed failover never reads as a standby lost. Losing sight of any standby (blind, split
 * brain) is no event: the HQ transition says it.
 */
function standbyEvent(prev: EngineCore, next: EngineCore, at: string, incidentId: string | null): StandbyChangedEvent | null {
  const previousId = standbyIdOf(prev.hq);
  const standbyId = standbyIdOf(next.hq);
  const from = standbyStatusOf(standbyId, prev.nodes);
  const to = standbyStatusOf(standbyId, next.nodes);
  const otherServer = previousId !== null && standbyId !== null && previousId !== standbyId;
  if (standbyId === null || (from === to && !otherServer)) return null;
  return { type: 'standby-changed', at, incidentId, standbyId, previousId, from, to, hqState: next.hq.state };
}

/**
 * The warning of its own that issue-level alerting subscribes to: the standby stopped being ready
 * while the same server stayed HQ (the primary, or the secondary after a failover), so a failover
 * (failback) could not complete if one started now. No incident is opened for it.
 */
export function isStandbyLost(event: HistoryEvent): event is StandbyChangedEvent {
  return (
    event.type === 'standby-changed' &&
    event.previousId === event.standbyId &&
    event.from === 'ready' &&
    event.to === 'not-ready' &&
    (event.hqState === 'primary-active' || event.hqState === 'secondary-active')
  );
}
