import {
  SERVICE_KEYS,
  type AvailabilityReport,
  type HqwatchConfig,
  type ServiceAvailability,
  type ServiceKey,
  type SiteAvailability,
} from '@hqwatch/shared';
import type { IntervalRow } from './impact.repository.ts';
import type { MonitorRun } from './runs.repository.ts';
import { toIso } from './time.ts';

type Span = [number, number];

/** The parts of [fromMs, toMs] the monitor was running, merged and in order. */
export function monitoredSpans(runs: readonly MonitorRun[], fromMs: number, toMs: number): Span[] {
  const spans: Span[] = [];
  for (const run of runs) {
    const start = Math.max(run.startedAt, fromMs);
    const end = Math.min(run.lastSeenAt, toMs);
    if (end <= start) continue;
    const last = spans[spans.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  return spans;
}

function overlap(start: number, end: number, spans: readonly Span[]): number {
  let ms = 0;
  for (const [s, e] of spans) ms += Math.max(0, Math.min(end, e) - Math.max(start, s));
  return ms;
}

interface Tally {
  down: number;
  unknown: number;
  na: number;
}

/**
 * Per site and service, the fraction of time `ok` over [fromMs, toMs]. Only time the monitor was
 * running counts: a gap is neither uptime nor downtime, and `n/a` time is left out of the fraction.
 */
export function availabilityReport(
  config: HqwatchConfig,
  runs: readonly MonitorRun[],
  intervals: readonly IntervalRow[],
  fromMs: number,
  toMs: number,
  planned: { spans: readonly Span[]; exclude: boolean } = { spans: [], exclude: false },
): AvailabilityReport {
  const running = monitoredSpans(runs, fromMs, toMs);
  // Planned time left out is neither uptime nor downtime, like a gap (but not reported as one).
  const spans = planned.exclude ? subtract(running, planned.spans) : running;
  const monitoredMs = spans.reduce((sum, [s, e]) => sum + (e - s), 0);
  const tallies = new Map<string, Tally>();
  for (const r of intervals) {
    const ms = overlap(r.startedAt, r.endedAt ?? Infinity, spans);
    if (ms === 0) continue;
    const key = `${r.siteId}\u0000${r.service}`;
    const tally = tallies.get(key) ?? { down: 0, unknown: 0, na: 0 };
    if (r.status === 'down') tally.down += ms;
    else if (r.status === 'unknown') tally.unknown += ms;
    else if (r.status === 'n/a') tally.na += ms;
    tallies.set(key, tally);
  }
  const sites: SiteAvailability[] = config.sites.map((site) => {
    const services = {} as Record<ServiceKey, ServiceAvailability>;
    for (const service of SERVICE_KEYS) {
      const t = tallies.get(`${site.id}\u0000${service}`) ?? { down: 0, unknown: 0, na: 0 };
      const okMs = Math.max(0, monitoredMs - t.down - t.unknown - t.na);
      const applicable = monitoredMs - t.na;
      services[service] = { ok: applicable > 0 ? okMs / applicable : null, okMs, downMs: t.down, unknownMs: t.unknown, naMs: t.na };
    }
    return { siteId: site.id, name: site.name, services };
  });
  const gaps: { from: string; to: string }[] = [];
  let cursor = fromMs;
  for (const [s, e] of [...running, [toMs, toMs] as Span]) {
    if (s > cursor) gaps.push({ from: toIso(cursor), to: toIso(s) });
    cursor = Math.max(cursor, e);
  }
  const plannedMs = planned.spans.reduce((sum, [s, e]) => sum + overlap(s, e, running), 0);
  return {
    from: toIso(fromMs),
    to: toIso(toMs),
    monitoredMs,
    unmonitoredMs: toMs - fromMs - monitoredMs - (planned.exclude ? plannedMs : 0),
    gaps,
    sites,
    plannedMs,
    planned: planned.exclude ? 'exclude' : 'include',
  };
}

/** `spans` with the parts inside `holes` cut out; both ordered and merged. */
function subtract(spans: readonly Span[], holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const [start, end] of spans) {
    let cursor = start;
    for (const [hs, he] of holes) {
      if (he <= cursor || hs >= end) continue;
      if (hs > cursor) out.push([cursor, hs]);
      cursor = Math.max(cursor, he);
    }
    if (cursor < end) out.push([cursor, end]);
  }
  return out;
}
