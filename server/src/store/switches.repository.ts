import {
  describeStatusDbTarget,
  parseStatusDbUrl,
  servicesFromStates,
  summarizeSwitches,
  type HqState,
  type NodeServiceStates,
  type ServerServiceEvent,
  type SiteSwitchCodes,
  type SiteSwitches,
  type StatusDbConfig,
  type StatusDbSnapshot,
  type StatusDbSourceEvent,
  type StatusDbStatus,
  type StatusDbView,
  type SwitchHistoryEvent,
  type SwitchStatusEvent,
} from '@hqwatch/shared';
import { insertRows } from './sql/batch.ts';
import type { Param, Sql } from './sql/sql.ts';
import { toIso, toMs } from './time.ts';

/** Per switch its latest code, per site when a switch of it last changed: where a restart resumes. */
export interface SwitchCodesAt {
  codes: SiteSwitchCodes;
  since: Record<string, string>;
}

interface ChangeRow {
  at: number;
  incidentId: string | null;
  siteId: string;
  switchName: string;
  fromCode: number | null;
  toCode: number | null;
  hqState: string;
}

interface ServiceRow {
  at: number;
  incidentId: string | null;
  nodeId: string;
  serviceName: string;
  displayName: string;
  fromState: number | null;
  toState: number | null;
  hqState: string;
}

interface SourceRow {
  at: number;
  incidentId: string | null;
  fromStatus: string;
  toStatus: string;
  error: string | null;
  expected: number;
}

const CHANGE_COLUMNS =
  'at, incident_id AS "incidentId", site_id AS "siteId", switch_name AS "switchName", from_code AS "fromCode", to_code AS "toCode", hq_state AS "hqState"';
const SOURCE_COLUMNS = 'at, incident_id AS "incidentId", from_status AS "fromStatus", to_status AS "toStatus", error, expected';
/** The last change of each switch at or before a moment (ids grow in the order changes were written). */
const LAST_PER_SWITCH = 'SELECT MAX(id) FROM switch_changes WHERE at <= ? GROUP BY site_id, switch_name';
const SERVICE_COLUMNS =
  'at, incident_id AS "incidentId", node_id AS "nodeId", service_name AS "serviceName", display_name AS "displayName", from_state AS "fromState", to_state AS "toState", hq_state AS "hqState"';
/** The last change of each server service at or before a moment. */
const LAST_PER_SERVICE = 'SELECT MAX(id) FROM service_changes WHERE at <= ? GROUP BY node_id, service_name';
/** `CurrentState` 4: running. */
const RUNNING = 4;

function changeEvent(r: ChangeRow): SwitchStatusEvent {
  return {
    type: 'switch-status',
    at: toIso(r.at),
    incidentId: r.incidentId,
    siteId: r.siteId,
    switch: r.switchName,
    from: r.fromCode,
    to: r.toCode,
    hqState: r.hqState as HqState,
  };
}

function serviceEvent(r: ServiceRow): ServerServiceEvent {
  return {
    type: 'server-service',
    at: toIso(r.at),
    incidentId: r.incidentId,
    nodeId: r.nodeId,
    service: r.serviceName,
    displayName: r.displayName,
    from: r.fromState,
    to: r.toState,
    hqState: r.hqState as HqState,
  };
}

function sourceEvent(r: SourceRow): StatusDbSourceEvent {
  const event: StatusDbSourceEvent = {
    type: 'status-db',
    at: toIso(r.at),
    incidentId: r.incidentId,
    from: r.fromStatus as StatusDbStatus,
    to: r.toStatus as StatusDbStatus,
  };
  if (r.error !== null) event.error = r.error;
  if (r.expected) event.expected = true;
  return event;
}

/**
 * What the ShoreWare status database said over time (SQLite step 3, PostgreSQL step 2): switch
 * status changes per site and the source's own status changes; and the servers' service state
 * changes per node (SQLite step 11, PostgreSQL step 9). Written by the status database
 * poller (through the store's write queue), read by replay, the incident detail and the exports.
 */
export function switchesRepository(sql: Sql) {
  async function codesAt(atMs: number): Promise<SwitchCodesAt> {
    const [latest, lastPerSite] = await Promise.all([
      sql.all<ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM switch_changes WHERE id IN (${LAST_PER_SWITCH})`, [atMs]),
      sql.all<{ siteId: string; at: number }>(
        'SELECT site_id AS "siteId", MAX(at) AS at FROM switch_changes WHERE at <= ? GROUP BY site_id',
        [atMs],
      ),
    ]);
    const codes: SiteSwitchCodes = {};
    for (const r of latest) {
      if (r.toCode === null) continue;
      (codes[r.siteId] ??= {})[r.switchName] = r.toCode;
    }
    const since: Record<string, string> = {};
    for (const r of lastPerSite) since[r.siteId] = toIso(r.at);
    return { codes, since };
  }

  async function servicesAt(atMs: number): Promise<NodeServiceStates> {
    const rows = await sql.all<ServiceRow>(`SELECT ${SERVICE_COLUMNS} FROM service_changes WHERE id IN (${LAST_PER_SERVICE})`, [atMs]);
    const states: NodeServiceStates = {};
    for (const r of rows) {
      if (r.toState === null) continue;
      (states[r.nodeId] ??= {})[r.serviceName] = { displayName: r.displayName, state: r.toState };
    }
    return states;
  }

  return {
    /** Writes the events of one read, in order; call it inside a transaction to commit them together. */
    async record(events: readonly SwitchHistoryEvent[]): Promise<void> {
      const changes: Param[][] = [];
      const services: Param[][] = [];
      const sources: Param[][] = [];
      for (const e of events) {
        if (e.type === 'switch-status') changes.push([toMs(e.at), e.incidentId, e.siteId, e.switch, e.from, e.to, e.hqState]);
        else if (e.type === 'server-service')
          services.push([toMs(e.at), e.incidentId, e.nodeId, e.service, e.displayName, e.from, e.to, e.hqState]);
        else sources.push([toMs(e.at), e.incidentId, e.from, e.to, e.error ?? null, e.expected ? 1 : 0]);
      }
      await insertRows(sql, 'switch_changes', ['at', 'incident_id', 'site_id', 'switch_name', 'from_code', 'to_code', 'hq_state'], changes);
      await insertRows(
        sql,
        'service_changes',
        ['at', 'incident_id', 'node_id', 'service_name', 'display_name', 'from_state', 'to_state', 'hq_state'],
        services,
      );
      await insertRows(sql, 'status_db_changes', ['at', 'incident_id', 'from_status', 'to_status', 'error', 'expected'], sources);
    },
    /** The latest code of every switch still listed, and when each site last changed. */
    latest: (): Promise<SwitchCodesAt> => codesAt(Number.MAX_SAFE_INTEGER),
    /** The latest state of every server service still listed, per node. */
    latestServices: (): Promise<NodeServiceStates> => servicesAt(Number.MAX_SAFE_INTEGER),
    /**
     * Changes within [fromMs, toMs], oldest first, led by the last change of each switch that was
     * not in service at `fromMs`: the status database is read on its own interval and often sees
     * switches lose communication a moment before the probes' debounce opens the incident. Server
     * services the same way: led by the last change of each service not running at `fromMs`.
     */
    async between(
      fromMs: number,
      toMs: number,
    ): Promise<{ switches: SwitchStatusEvent[]; source: StatusDbSourceEvent[]; services: ServerServiceEvent[] }> {
      const [leadIn, changes, sources, serviceLeadIn, services] = await Promise.all([
        sql.all<ChangeRow>(
          `SELECT ${CHANGE_COLUMNS} FROM switch_changes WHERE id IN (SELECT MAX(id) FROM switch_changes WHERE at < ? GROUP BY site_id, switch_name)
           AND to_code IS NOT NULL AND to_code <> 110 ORDER BY at, id`,
          [fromMs],
        ),
        sql.all<ChangeRow>(`SELECT ${CHANGE_COLUMNS} FROM switch_changes WHERE at >= ? AND at <= ? ORDER BY at, id`, [fromMs, toMs]),
        sql.all<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM status_db_changes WHERE at >= ? AND at <= ? ORDER BY at, id`, [fromMs, toMs]),
        sql.all<ServiceRow>(
          `SELECT ${SERVICE_COLUMNS} FROM service_changes WHERE id IN (SELECT MAX(id) FROM service_changes WHERE at < ? GROUP BY node_id, service_name)
           AND to_state IS NOT NULL AND to_state <> ${RUNNING} ORDER BY at, id`,
          [fromMs],
        ),
        sql.all<ServiceRow>(`SELECT ${SERVICE_COLUMNS} FROM service_changes WHERE at >= ? AND at <= ? ORDER BY at, id`, [fromMs, toMs]),
      ]);
      return {
        switches: [...leadIn, ...changes].map(changeEvent),
        source: sources.map(sourceEvent),
        services: [...serviceLeadIn, ...services].map(serviceEvent),
      };
    },
    /**
     * What the live state showed of the status database at `atMs`, rebuilt from the changes: the
     * switches through the same summary as the live path, the servers' services as their cards
     * showed them, the source's status and since when. Null when nothing was recorded.
     */
    async snapshotAt(atMs: number, config: StatusDbConfig): Promise<StatusDbSnapshot | null> {
      const [source, { codes, since }, left, services] = await Promise.all([
        sql.get<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM status_db_changes WHERE at <= ? ORDER BY at DESC, id DESC LIMIT 1`, [atMs]),
        codesAt(atMs),
        sql.get<{ at: number }>(`SELECT at FROM status_db_changes WHERE at <= ? AND from_status = 'ok' ORDER BY at DESC, id DESC LIMIT 1`, [
          atMs,
        ]),
        servicesAt(atMs),
      ]);
      if (!source && Object.keys(codes).length === 0 && Object.keys(services).length === 0) return null;
      const sites: Record<string, SiteSwitches> = {};
      for (const [siteId, switches] of Object.entries(codes)) sites[siteId] = summarizeSwitches(switches, since[siteId] ?? toIso(atMs));
      const parsed = parseStatusDbUrl(config.url);
      const status = (source?.toStatus as StatusDbStatus | undefined) ?? 'ok';
      const view: StatusDbView = {
        status,
        since: toIso(source?.at ?? atMs),
        readAt: status === 'ok' ? toIso(atMs) : left === undefined ? null : toIso(left.at),
        target: parsed.ok ? describeStatusDbTarget(parsed.target) : 'the status database',
        intervalMs: config.interval,
      };
      if (source?.error) view.error = source.error;
      if (source?.expected) view.expected = true;
      return { source: view, sites, servers: servicesFromStates(services) };
    },
  };
}
