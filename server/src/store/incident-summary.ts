import {
  hasExpectedLength,
  LEGACY_KIND_NOTE,
  type HqwatchConfig,
  type IncidentSummary,
  type WindowSummary,
  type WorstImpact,
} from '@hqwatch/shared';
import type { IncidentRow, WindowRow, WorstMoment } from './incidents.repository.ts';
import { toIso, toIsoOrNull } from './time.ts';

/** Site id → configured user count; sites without one are absent. */
export type UserCounts = Map<string, number>;

export function userCountsOf(config: HqwatchConfig): UserCounts {
  const counts: UserCounts = new Map();
  for (const site of config.sites) if (site.userCount !== undefined) counts.set(site.id, site.userCount);
  return counts;
}

/** Users of these sites, or null when none of them has a configured count (never a false "0 users"). */
export function usersOf(siteIds: readonly string[], counts: UserCounts): number | null {
  let users: number | null = null;
  for (const id of siteIds) {
    const n = counts.get(id);
    if (n !== undefined) users = (users ?? 0) + n;
  }
  return users;
}

function worstImpact(worst: WorstMoment | null, counts: UserCounts): WorstImpact | null {
  if (!worst) return null;
  return {
    at: toIso(worst.at),
    sitesImpacted: worst.impacted.length,
    telephony: { sites: worst.telephony.length, users: usersOf(worst.telephony, counts) },
  };
}

/** How a window compares with its expected range; an outage has none to compare with. */
function verdictOf(w: WindowRow, durationMs: number, overrun: boolean): WindowSummary['verdict'] {
  if (overrun) return 'overrun';
  if (w.endedAt === null) return 'open';
  if (!hasExpectedLength(w.kind)) return 'no-expected-length';
  return durationMs < w.expectedMinMs ? 'short' : 'expected';
}

/** A window against its expected range; an open one is measured to `asOfMs`. */
export function windowSummary(w: WindowRow, asOfMs: number): WindowSummary {
  const end = w.endedAt ?? Math.max(asOfMs, w.startedAt);
  const durationMs = end - w.startedAt;
  const overrun = hasExpectedLength(w.kind) && durationMs > w.expectedMaxMs;
  const summary: WindowSummary = {
    kind: w.kind,
    startedAt: toIso(w.startedAt),
    endedAt: toIsoOrNull(w.endedAt),
    durationMs,
    expectedMinMs: w.expectedMinMs,
    expectedMaxMs: w.expectedMaxMs,
    overrun,
    verdict: verdictOf(w, durationMs, overrun),
  };
  if (w.legacyKind === 1) summary.kindNote = LEGACY_KIND_NOTE;
  return summary;
}

/** Incident rows with their windows, worst moment and annotation count, as the REST list shows them. */
export function summarizeIncidents(
  rows: readonly IncidentRow[],
  windows: readonly WindowRow[],
  annotationCounts: Map<string, number>,
  asOfMs: number,
  counts: UserCounts,
): IncidentSummary[] {
  const byIncident = new Map<string, WindowSummary[]>();
  for (const w of windows) {
    if (w.incidentId === null) continue;
    const list = byIncident.get(w.incidentId) ?? [];
    list.push(windowSummary(w, asOfMs));
    byIncident.set(w.incidentId, list);
  }
  return rows.map((row) => {
    const incidentWindows = byIncident.get(row.id) ?? [];
    return {
      id: row.id,
      startedAt: toIso(row.startedAt),
      endedAt: toIsoOrNull(row.endedAt),
      durationMs: (row.endedAt ?? Math.max(asOfMs, row.startedAt)) - row.startedAt,
      noServiceMs: incidentWindows.reduce((sum, w) => sum + w.durationMs, 0),
      windows: incidentWindows,
      worstImpact: worstImpact(row.worst, counts),
      annotationCount: annotationCounts.get(row.id) ?? 0,
    };
  });
}
