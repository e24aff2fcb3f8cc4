import {
  SERVICE_KEYS,
  type ImpactGroupEntry,
  type ImpactInterval,
  type ServiceKey,
  type ServiceStatus,
  type SiteImpact,
  type TimelineEntry,
} from '@hqwatch/shared';
import type { IntervalRow } from './impact.repository.ts';
import { toIso } from './time.ts';

/**
 * The impact changes of an incident, rebuilt from its stored intervals and grouped per moment,
 * service and change: one at each interval's start, and one at its end when the service came back
 * to `ok` (any other next status has its own interval). Only changes within [fromMs, toMs] count.
 */
export function impactGroups(intervals: readonly IntervalRow[], fromMs: number, toMs: number): ImpactGroupEntry[] {
  const starts = new Set(intervals.map((r) => `${r.siteId}\u0000${r.service}\u0000${r.startedAt}`));
  const groups = new Map<string, ImpactGroupEntry & { ms: number }>();
  const add = (r: IntervalRow, ms: number, from: ServiceStatus, to: ServiceStatus) => {
    if (ms < fromMs || ms > toMs) return;
    const key = `${ms}\u0000${r.service}\u0000${from}\u0000${to}`;
    let group = groups.get(key);
    if (!group) {
      group = { type: 'impact', at: toIso(ms), incidentId: r.incidentId, service: r.service, from, to, siteIds: [], ms };
      groups.set(key, group);
    }
    group.siteIds.push(r.siteId);
  };
  for (const r of intervals) {
    add(r, r.startedAt, r.previous, r.status);
    if (r.endedAt === null || r.endedTo === null) continue;
    if (r.endedTo === 'ok' || !starts.has(`${r.siteId}\u0000${r.service}\u0000${r.endedAt}`)) add(r, r.endedAt, r.status, r.endedTo);
  }
  const order = (s: ServiceKey) => SERVICE_KEYS.indexOf(s);
  return [...groups.values()]
    .sort((a, b) => a.ms - b.ms || order(a.service) - order(b.service) || a.to.localeCompare(b.to))
    .map(({ ms: _ms, ...group }) => ({ ...group, siteIds: group.siteIds.sort() }));
}

/** Entries from several sources as one timeline, oldest first; equal times keep the sources' order. */
export function mergeTimeline(...sources: TimelineEntry[][]): TimelineEntry[] {
  return sources
    .flat()
    .map((entry, index) => ({ entry, index, ms: Date.parse(entry.at) }))
    .sort((a, b) => a.ms - b.ms || a.index - b.index)
    .map((e) => e.entry);
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
    if (r.reasonCode !== undefined) {
      interval.reasonCode = r.reasonCode;
      interval.params = r.params ?? [];
    }
    service.intervals.push(interval);
    if (r.status === 'down') service.downMs += interval.durationMs;
  }
  const total = (s: SiteImpact) => s.services.reduce((sum, x) => sum + x.downMs, 0);
  const order = (s: ServiceKey) => SERVICE_KEYS.indexOf(s);
  for (const site of bySite.values()) site.services.sort((a, b) => order(a.service) - order(b.service));
  return [...bySite.values()].sort((a, b) => total(b) - total(a) || a.name.localeCompare(b.name));
}
