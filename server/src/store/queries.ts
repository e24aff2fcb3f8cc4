import { randomUUID } from 'node:crypto';
import {
  plannedReason,
  plannedSpans,
  withStatusDb,
  type MaintenanceWindow,
  type Annotation,
  type AnnotationInput,
  type AvailabilityReport,
  type HqwatchConfig,
  type IncidentDetail,
  type IncidentList,
  type IncidentServer,
  type IncidentSummary,
  PRIMARY_ID,
  SECONDARY_ID,
} from '@hqwatch/shared';
import { annotationsRepository } from './annotations.repository.ts';
import { availabilityReport } from './availability.ts';
import { eventsRepository } from './events.repository.ts';
import { impactRepository } from './impact.repository.ts';
import { maintenanceRepository } from './maintenance.repository.ts';
import { outboxRepository } from './outbox.repository.ts';
import { impactGroups, mergeTimeline, siteImpact } from './incident-detail.ts';
import { summarizeIncidents, userCountsOf } from './incident-summary.ts';
import { incidentsRepository } from './incidents.repository.ts';
import { replayAt, type ReplayResult } from './replay.ts';
import { rollupsRepository, type ProbeSeries } from './rollups.repository.ts';
import { runsRepository } from './runs.repository.ts';
import { snapshotsRepository } from './snapshots.repository.ts';
import type { Sql } from './sql/sql.ts';
import { switchesRepository } from './switches.repository.ts';
import { toIso, toMs } from './time.ts';
import { windowDurationsQuery, withEstimates } from './window-durations.ts';

export interface IncidentQuery {
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

/** The configured servers, named as the operator named them, for the postmortem. */
function serversOf(config: HqwatchConfig): IncidentServer[] {
  const { primary, secondary } = config.headquarters;
  return [
    { id: PRIMARY_ID, name: primary.name, role: 'hq-primary', address: primary.address },
    { id: SECONDARY_ID, name: secondary.name, role: 'hq-secondary', address: secondary.address },
    ...config.servers.map((s): IncidentServer => ({ id: s.id, name: s.name, role: 'distributed', address: s.address })),
  ];
}

/** An incident, and each of its windows, that started inside a maintenance window is planned. */
function withPlanned(incident: IncidentSummary, windows: readonly MaintenanceWindow[]): IncidentSummary {
  if (windows.length === 0) return incident;
  const reason = plannedReason(windows, Date.parse(incident.startedAt));
  const marked: IncidentSummary = {
    ...incident,
    windows: incident.windows.map((w) => {
      const why = plannedReason(windows, Date.parse(w.startedAt));
      return why === null ? w : { ...w, planned: why };
    }),
  };
  if (reason !== null) marked.planned = reason;
  return marked;
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
    outbox: outboxRepository(sql),
    switches: switchesRepository(sql),
    maintenance: maintenanceRepository(sql),
  };
  const windowDurations = windowDurationsQuery(sql);
  const asOf = async (): Promise<number | null> => (await repos.runs.last())?.lastSeenAt ?? null;
  /** Open windows with the ETA shown live for them, and what started inside a maintenance window marked planned. */
  const estimated = async (incidents: IncidentSummary[]): Promise<IncidentSummary[]> => {
    const planned = incidents.length ? await repos.maintenance.list() : [];
    return Promise.all(
      incidents.map(async (i) => withPlanned({ ...i, windows: await withEstimates(i.windows, windowDurations) }, planned)),
    );
  };
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
      const incidents = await estimated(summarizeIncidents(page.rows, windows, counts, now ?? 0, userCountsOf(config)));
      return { incidents, total: page.total, limit: query.limit, offset: query.offset, asOf: now === null ? null : toIso(now) };
    },
    async incidentDetail(id: string, config: HqwatchConfig): Promise<IncidentDetail | null> {
      const [row, recorded] = await Promise.all([repos.incidents.get(id), asOf()]);
      if (!row) return null;
      const now = recorded ?? row.startedAt;
      const endMs = row.endedAt ?? Math.max(now, row.startedAt);
      const [windows, counts, intervals, events, notes, switches, alerts] = await Promise.all([
        repos.incidents.windowsOf([id]),
        repos.annotations.countsFor([id]),
        repos.impact.forIncident(id),
        repos.events.forIncident(id),
        repos.annotations.eventsFor(id),
        repos.switches.between(row.startedAt, endMs),
        repos.outbox.ofIncident(id),
      ]);
      const [incident] = await estimated(summarizeIncidents([row], windows, counts, now, userCountsOf(config)));
      const sites = new Map(config.sites.map((s) => [s.id, { name: s.name, userCount: s.userCount ?? null }]));
      const detail: IncidentDetail = {
        incident: incident!,
        timeline: mergeTimeline(events, impactGroups(intervals, row.startedAt, endMs), notes),
        impact: siteImpact(intervals, row.startedAt, endMs, sites),
        asOf: toIso(now),
        servers: serversOf(config),
        alerts,
      };
      if (config.statusDb || switches.switches.length || switches.source.length || switches.services.length) {
        detail.switchChanges = switches.switches;
        detail.statusDbChanges = switches.source;
        detail.serviceChanges = switches.services;
      }
      return detail;
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
        followUp: input.followUp ? 1 : 0,
      });
    },
    /** Null when the incident has no such note. */
    setFollowUp: (incidentId: string, annotationId: string, followUp: boolean): Promise<Annotation | null> =>
      repos.annotations.setFollowUp(incidentId, annotationId, followUp),
    async availability(
      from: string,
      to: string,
      config: HqwatchConfig,
      planned: 'include' | 'exclude' = 'include',
    ): Promise<AvailabilityReport> {
      const fromMs = toMs(from);
      const toMsValue = toMs(to);
      const [runs, intervals, windows] = await Promise.all([
        repos.runs.overlapping(fromMs, toMsValue),
        repos.impact.overlapping(fromMs, toMsValue),
        repos.maintenance.list(fromMs),
      ]);
      const spans = plannedSpans(windows, fromMs, toMsValue);
      return availabilityReport(config, runs, intervals, fromMs, toMsValue, { spans, exclude: planned === 'exclude' });
    },
    async replay(id: string, at: string, config: HqwatchConfig): Promise<ReplayResult> {
      const [incident, asOfMs] = await Promise.all([repos.incidents.get(id), asOf()]);
      const sources = {
        incident,
        asOfMs: asOfMs ?? 0,
        coreAt: (ms: number) => repos.snapshots.atOrBefore(ms),
        monitored: (ms: number) => repos.runs.covers(ms),
        windowHistory: windowDurations,
      };
      const atMs = toMs(at);
      const result = await replayAt(sources, atMs, config);
      // The status database's evidence at that moment, rebuilt from its recorded changes.
      if (!result.ok || !config.statusDb) return result;
      return { ok: true, state: withStatusDb(result.state, await repos.switches.snapshotAt(atMs, config.statusDb)) };
    },
    probeSeries(nodeId: string, from: string, to: string): Promise<ProbeSeries[]> {
      return repos.rollups.series(nodeId, Math.floor(toMs(from) / 60_000), Math.floor(toMs(to) / 60_000));
    },
    loadLatestCore: () => repos.snapshots.latest(),
    /** Every site's unavailable stretches since `fromMs` (the status page's history): no reasons, no incidents, no notes. */
    downSince: (fromMs: number) => repos.impact.downSince(fromMs),
    /** Durations of recent closed failovers and failbacks (closed by `beforeMs`), for the ETA of an open window. */
    windowDurations: (beforeMs?: number) => windowDurations(beforeMs),
    /** The last recorded code of every switch, so the status database poller records only real changes after a restart. */
    latestSwitchCodes: () => repos.switches.latest(),
    /** The last recorded state of every server service, so the poller records only real changes after a restart. */
    latestServiceStates: () => repos.switches.latestServices(),
  };
}
