import { randomUUID } from 'node:crypto';
import {
  withStatusDb,
  type Annotation,
  type AnnotationInput,
  type AvailabilityReport,
  type HqwatchConfig,
  type IncidentDetail,
  type IncidentList,
  type IncidentSummary,
  type WindowHistory,
} from '@hqwatch/shared';
import type { AnnotationsRepository } from './annotations.repository.ts';
import { availabilityReport } from './availability.ts';
import type { EventsRepository } from './events.repository.ts';
import type { ImpactRepository } from './impact.repository.ts';
import { impactGroups, mergeTimeline, siteImpact } from './incident-detail.ts';
import { summarizeIncidents, userCountsOf } from './incident-summary.ts';
import type { IncidentsRepository } from './incidents.repository.ts';
import { replayAt, type ReplayResult } from './replay.ts';
import type { ProbeSeries, RollupsRepository } from './rollups.repository.ts';
import type { RunsRepository } from './runs.repository.ts';
import type { SnapshotsRepository } from './snapshots.repository.ts';
import type { SwitchesRepository } from './switches.repository.ts';
import { toIso, toMs } from './time.ts';
import { withEstimates } from './window-durations.ts';

export interface IncidentQuery {
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

interface Sources {
  events: EventsRepository;
  incidents: IncidentsRepository;
  impact: ImpactRepository;
  snapshots: SnapshotsRepository;
  runs: RunsRepository;
  switches: SwitchesRepository;
}

/**
 * What the history API reads, assembled from the repositories. Open incidents and windows are
 * measured to the last moment the monitor recorded, never to the reader's clock.
 */
export function historyQueries(
  repos: Sources,
  annotations: AnnotationsRepository,
  rollups: RollupsRepository,
  windowHistory: (beforeMs?: number) => WindowHistory,
) {
  const asOf = (): number | null => repos.runs.last()?.lastSeenAt ?? null;
  const estimated = (incidents: IncidentSummary[]) => incidents.map((i) => ({ ...i, windows: withEstimates(i.windows, windowHistory) }));
  return {
    listIncidents(query: IncidentQuery, config: HqwatchConfig): IncidentList {
      const page = repos.incidents.page({
        fromMs: query.from === undefined ? null : toMs(query.from),
        toMs: query.to === undefined ? null : toMs(query.to),
        limit: query.limit,
        offset: query.offset,
      });
      const ids = page.rows.map((r) => r.id);
      const now = asOf();
      const incidents = estimated(
        summarizeIncidents(page.rows, repos.incidents.windowsOf(ids), annotations.countsFor(ids), now ?? 0, userCountsOf(config)),
      );
      return { incidents, total: page.total, limit: query.limit, offset: query.offset, asOf: now === null ? null : toIso(now) };
    },
    incidentDetail(id: string, config: HqwatchConfig): IncidentDetail | null {
      const row = repos.incidents.get(id);
      if (!row) return null;
      const now = asOf() ?? row.startedAt;
      const [incident] = estimated(
        summarizeIncidents([row], repos.incidents.windowsOf([id]), annotations.countsFor([id]), now, userCountsOf(config)),
      );
      const endMs = row.endedAt ?? Math.max(now, row.startedAt);
      const intervals = repos.impact.forIncident(id);
      const sites = new Map(config.sites.map((s) => [s.id, { name: s.name, userCount: s.userCount ?? null }]));
      const detail: IncidentDetail = {
        incident: incident!,
        timeline: mergeTimeline(repos.events.forIncident(id), impactGroups(intervals, row.startedAt, endMs), annotations.eventsFor(id)),
        impact: siteImpact(intervals, row.startedAt, endMs, sites),
        asOf: toIso(now),
      };
      const switches = repos.switches.between(row.startedAt, endMs);
      if (config.statusDb || switches.switches.length || switches.source.length) {
        detail.switchChanges = switches.switches;
        detail.statusDbChanges = switches.source;
      }
      return detail;
    },
    /** Null when the incident does not exist. */
    annotate(id: string, input: AnnotationInput, now: string): Annotation | null {
      if (!repos.incidents.get(id)) return null;
      const createdAt = toMs(now);
      return annotations.add({
        id: randomUUID(),
        incidentId: id,
        at: input.at === undefined ? createdAt : toMs(input.at),
        createdAt,
        text: input.text,
      });
    },
    availability(from: string, to: string, config: HqwatchConfig): AvailabilityReport {
      const fromMs = toMs(from);
      const toMsValue = toMs(to);
      return availabilityReport(
        config,
        repos.runs.overlapping(fromMs, toMsValue),
        repos.impact.overlapping(fromMs, toMsValue),
        fromMs,
        toMsValue,
      );
    },
    replay(id: string, at: string, config: HqwatchConfig): ReplayResult {
      const sources = {
        incident: repos.incidents.get(id),
        asOfMs: asOf() ?? 0,
        coreAt: (ms: number) => repos.snapshots.atOrBefore(ms),
        monitored: (ms: number) => repos.runs.covers(ms),
        windowHistory,
      };
      const atMs = toMs(at);
      const result = replayAt(sources, atMs, config);
      // The status database's evidence at that moment, rebuilt from its recorded changes.
      if (!result.ok || !config.statusDb) return result;
      return { ok: true, state: withStatusDb(result.state, repos.switches.snapshotAt(atMs, config.statusDb)) };
    },
    probeSeries(nodeId: string, from: string, to: string): ProbeSeries[] {
      return rollups.series(nodeId, Math.floor(toMs(from) / 60_000), Math.floor(toMs(to) / 60_000));
    },
  };
}
