import { randomUUID } from 'node:crypto';
import type { Annotation, AnnotationInput, AvailabilityReport, HqwatchConfig, IncidentDetail, IncidentList } from '@hqwatch/shared';
import { annotationsRepository } from './annotations.repository.ts';
import { availabilityReport } from './availability.ts';
import { eventsRepository } from './events.repository.ts';
import { impactRepository } from './impact.repository.ts';
import { impactGroups, mergeTimeline, siteImpact } from './incident-detail.ts';
import { summarizeIncidents, userCountsOf } from './incident-summary.ts';
import { incidentsRepository } from './incidents.repository.ts';
import { replayAt, type ReplayResult } from './replay.ts';
import { rollupsRepository, type ProbeSeries } from './rollups.repository.ts';
import { runsRepository } from './runs.repository.ts';
import { snapshotsRepository } from './snapshots.repository.ts';
import type { Sql } from './sql/sql.ts';
import { toIso, toMs } from './time.ts';

export interface IncidentQuery {
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/**
 * What the history API reads, assembled from the repositories. Open incidents and windows are
 * measured to the last moment the monitor recorded, never to the reader's clock. Independent reads
 * are issued together: PostgreSQL runs them on several connections, SQLite one after the other.
 */
export function historyQueries(sql: Sql) {
  const repos = {
    events: eventsRepository(sql),
    incidents: incidentsRepository(sql),
    impact: impactRepository(sql),
    snapshots: snapshotsRepository(sql),
    runs: runsRepository(sql),
    annotations: annotationsRepository(sql),
    rollups: rollupsRepository(sql),
  };
  const asOf = async (): Promise<number | null> => (await repos.runs.last())?.lastSeenAt ?? null;
  return {
    async listIncidents(query: IncidentQuery, config: HqwatchConfig): Promise<IncidentList> {
      const [page, now] = await Promise.all([
        repos.incidents.page({
          fromMs: query.from === undefined ? null : toMs(query.from),
          toMs: query.to === undefined ? null : toMs(query.to),
          limit: query.limit,
          offset: query.offset,
        }),
        asOf(),
      ]);
      const ids = page.rows.map((r) => r.id);
      const [windows, counts] = await Promise.all([repos.incidents.windowsOf(ids), repos.annotations.countsFor(ids)]);
      const incidents = summarizeIncidents(page.rows, windows, counts, now ?? 0, userCountsOf(config));
      return { incidents, total: page.total, limit: query.limit, offset: query.offset, asOf: now === null ? null : toIso(now) };
    },
    async incidentDetail(id: string, config: HqwatchConfig): Promise<IncidentDetail | null> {
      const [row, recorded] = await Promise.all([repos.incidents.get(id), asOf()]);
      if (!row) return null;
      const now = recorded ?? row.startedAt;
      const [windows, counts, intervals, events, notes] = await Promise.all([
        repos.incidents.windowsOf([id]),
        repos.annotations.countsFor([id]),
        repos.impact.forIncident(id),
        repos.events.forIncident(id),
        repos.annotations.eventsFor(id),
      ]);
      const [incident] = summarizeIncidents([row], windows, counts, now, userCountsOf(config));
      const endMs = row.endedAt ?? Math.max(now, row.startedAt);
      const sites = new Map(config.sites.map((s) => [s.id, { name: s.name, userCount: s.userCount ?? null }]));
      return {
        incident: incident!,
        timeline: mergeTimeline(events, impactGroups(intervals, row.startedAt, endMs), notes),
        impact: siteImpact(intervals, row.startedAt, endMs, sites),
        asOf: toIso(now),
      };
    },
    /** Null when the incident does not exist. */
    async annotate(id: string, input: AnnotationInput, now: string): Promise<Annotation | null> {
      if (!(await repos.incidents.get(id))) return null;
      const createdAt = toMs(now);
      return repos.annotations.add({
        id: randomUUID(),
        incidentId: id,
        at: input.at === undefined ? createdAt : toMs(input.at),
        createdAt,
        text: input.text,
      });
    },
    async availability(from: string, to: string, config: HqwatchConfig): Promise<AvailabilityReport> {
      const fromMs = toMs(from);
      const toMsValue = toMs(to);
      const [runs, intervals] = await Promise.all([repos.runs.overlapping(fromMs, toMsValue), repos.impact.overlapping(fromMs, toMsValue)]);
      return availabilityReport(config, runs, intervals, fromMs, toMsValue);
    },
    async replay(id: string, at: string, config: HqwatchConfig): Promise<ReplayResult> {
      const [incident, asOfMs] = await Promise.all([repos.incidents.get(id), asOf()]);
      const sources = {
        incident,
        asOfMs: asOfMs ?? 0,
        coreAt: (ms: number) => repos.snapshots.atOrBefore(ms),
        monitored: (ms: number) => repos.runs.covers(ms),
      };
      return replayAt(sources, toMs(at), config);
    },
    probeSeries(nodeId: string, from: string, to: string): Promise<ProbeSeries[]> {
      return repos.rollups.series(nodeId, Math.floor(toMs(from) / 60_000), Math.floor(toMs(to) / 60_000));
    },
    loadLatestCore: () => repos.snapshots.latest(),
  };
}
