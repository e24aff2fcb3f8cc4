import type { HistoryEvent, ImpactChangedEvent, ImpactInterval, ServiceStatus, SiteImpact } from '@hqwatch/shared';
import type { IntervalRow } from './impact.repository.ts';
import { toIso } from './time.ts';

/**
 * The impact changes of an incident, rebuilt from its stored intervals: one at each interval's
 * start, and one at its end when the service came back to `ok` (any other next status has its
 * own interval). Only changes within [fromMs, toMs] are kept.
 */
export function impactChanges(intervals: readonly IntervalRow[], fromMs: number, toMs: number): ImpactChangedEvent[] {
  const starts = new Set(intervals.map((r) => `${r.siteId}\u0000${r.service}\u0000${r.startedAt}`));
  const events: ImpactChangedEvent[] = [];
  const within = (ms: number) => ms >= fromMs && ms <= toMs;
  for (const r of intervals) {
    const change = (at: number, from: ServiceStatus, to: ServiceStatus): ImpactChangedEvent => {
      const { incidentId, siteId, service } = r;
      return { type: 'impact-changed', at: toIso(at), incidentId, siteId, service, from, to };
    };
    if (within(r.startedAt)) {
      const event = change(r.startedAt, r.previous, r.status);
      if (r.reason !== null) event.reason = r.reason;
      events.push(event);
    }
    if (r.endedAt === null || r.endedTo === null || !within(r.endedAt)) continue;
    if (r.endedTo === 'ok' || !starts.has(`${r.siteId}\u0000${r.service}\u0000${r.endedAt}`))
      events.push(change(r.endedAt, r.status, r.endedTo));
  }
  return events;
}

/** Events from several sources as one timeline, oldest first; equal times keep the sources' order. */
export function mergeTimeline(...sources: HistoryEvent[][]): HistoryEvent[] {
  return sources
    .flat()
    .map((event, index) => ({ event, index, ms: Date.parse(event.at) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map((e) => e.event);
}

/**
 * What each site lost during [fromMs, toMs], intervals clipped to it; `n/a` is not a loss. Sites
 * that lost the most come first.
 */
export function siteImpact(
  intervals: readonly IntervalRow[],
  fromMs: number,
  toMs: number,
  sites: Map<string, { name: string; userCount: number | null }>,
): SiteImpact[] {
  const bySite = new Map<string, SiteImpact>();
  for (const r of intervals) {
    if (r.status === 'n/a' || r.status === 'ok') continue;
    const start = Math.max(r.startedAt, fromMs);
    const end = Math.min(r.endedAt ?? toMs, toMs);
    if (end < start) continue;
    const site = sites.get(r.siteId);
    const entry = bySite.get(r.siteId) ?? {
      siteId: r.siteId,
      name: site?.name ?? r.siteId,
      userCount: site?.userCount ?? null,
      services: [],
    };
    bySite.set(r.siteId, entry);
    let service = entry.services.find((s) => s.service === r.service);
    if (!service) {
      service = { service: r.service, downMs: 0, intervals: [] };
      entry.services.push(service);
    }
    const interval: ImpactInterval = {
      status: r.status,
      from: toIso(start),
      to: r.endedAt === null ? null : toIso(end),
      durationMs: end - start,
    };
    if (r.reason !== null) interval.reason = r.reason;
    service.intervals.push(interval);
    if (r.status === 'down') service.downMs += interval.durationMs;
  }
  const total = (s: SiteImpact) => s.services.reduce((sum, x) => sum + x.downMs, 0);
  return [...bySite.values()].sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name));
}
