import type { AvailabilityReport, IncidentList, ServiceKey, WindowKind } from '@hqwatch/shared';

export interface WindowBar {
  kind: WindowKind;
  startedAtMs: number;
  durationMs: number;
  expectedMinMs: number;
  expectedMaxMs: number;
  overrun: boolean;
  open: boolean;
  /** It started inside a planned maintenance window (a drill). */
  planned?: true;
}

/**
 * The windows of the listed incidents, oldest first, at most `limit` of the most recent: one bar
 * each in the outage-duration chart.
 */
export function windowBars(list: IncidentList, limit = 24): WindowBar[] {
  const bars: WindowBar[] = [];
  for (const incident of list.incidents) {
    for (const window of incident.windows) {
      const startedAtMs = Date.parse(window.startedAt);
      if (Number.isNaN(startedAtMs)) continue;
      bars.push({
        kind: window.kind,
        startedAtMs,
        durationMs: window.durationMs,
        expectedMinMs: window.expectedMinMs,
        expectedMaxMs: window.expectedMaxMs,
        // An outage has no expected length: it never overruns, whatever was recorded before.
        overrun: window.kind !== 'outage' && (window.overrun || window.verdict === 'overrun'),
        open: window.endedAt === null,
        ...(window.planned !== undefined && { planned: true as const }),
      });
    }
  }
  bars.sort((a, b) => a.startedAtMs - b.startedAtMs);
  return bars.slice(-limit);
}

/**
 * The expected range to draw: the latest failover's or failback's (ranges are recorded per window),
 * else the default. Outages have no expected length and say nothing about it.
 */
export function expectedBand(
  bars: readonly WindowBar[],
  fallback = { minMs: 5 * 60_000, maxMs: 20 * 60_000 },
): { minMs: number; maxMs: number } {
  const last = bars.findLast((bar) => bar.kind !== 'outage');
  return last ? { minMs: last.expectedMinMs, maxMs: last.expectedMaxMs } : fallback;
}

export interface AvailabilityRow {
  siteId: string;
  name: string;
  /** Percent of monitored time `ok`, per service; null when never measured. */
  percent: Partial<Record<ServiceKey, number | null>>;
}

/**
 * Sites for the availability chart, worst first: the `limit` sites with the lowest availability of
 * any of `services`. Sites never measured for any of them are left out.
 */
export function availabilityRows(report: AvailabilityReport, services: readonly ServiceKey[], limit = 12): AvailabilityRow[] {
  const rows: (AvailabilityRow & { worst: number })[] = [];
  for (const site of report.sites) {
    const percent: AvailabilityRow['percent'] = {};
    let worst = Infinity;
    for (const service of services) {
      const ok = site.services[service]?.ok ?? null;
      percent[service] = ok === null ? null : ok * 100;
      if (ok !== null) worst = Math.min(worst, ok * 100);
    }
    if (worst !== Infinity) rows.push({ siteId: site.siteId, name: site.name, percent, worst });
  }
  rows.sort((a, b) => a.worst - b.worst || a.name.localeCompare(b.name));
  return rows.slice(0, limit).map(({ siteId, name, percent }) => ({ siteId, name, percent }));
}

/** Mean availability (percent) of one service over every measured site, or null. */
export function meanAvailability(report: AvailabilityReport, service: ServiceKey): number | null {
  let sum = 0;
  let count = 0;
  for (const site of report.sites) {
    const ok = site.services[service]?.ok;
    if (ok === null || ok === undefined) continue;
    sum += ok;
    count += 1;
  }
  return count ? (sum / count) * 100 : null;
}
