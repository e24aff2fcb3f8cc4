import { describeServiceChange, describeSwitchChange, type IncidentDetail, type SiteImpact, type TimelineEntry } from '@hqwatch/shared';

export const CSV_COLUMNS = [
  'at',
  'type',
  'incident_id',
  'node',
  'site',
  'service',
  'from',
  'to',
  'window_kind',
  'started_at',
  'ended_at',
  'duration_ms',
  'expected_min_ms',
  'expected_max_ms',
  'overrun',
  'flapping',
  'reason',
  'text',
  'planned',
  'switch',
] as const;

type Column = (typeof CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | boolean | null>>;

function row(e: TimelineEntry): Row {
  const base: Row = { at: e.at, type: e.type, incident_id: e.incidentId };
  switch (e.type) {
    case 'hq-transition':
      return { ...base, from: e.from, to: e.to, window_kind: e.window?.kind, started_at: e.window?.startedAt, reason: e.cause };
    case 'standby-changed':
      return { ...base, node: e.standbyId, from: e.from, to: e.to };
    case 'node-status':
      return { ...base, node: e.nodeId, from: e.from, to: e.to, flapping: e.flapping };
    case 'window-opened':
      return { ...base, window_kind: e.kind, started_at: e.startedAt, expected_min_ms: e.expectedMinMs, expected_max_ms: e.expectedMaxMs };
    case 'window-closed':
      return {
        ...base,
        window_kind: e.kind,
        started_at: e.startedAt,
        ended_at: e.endedAt,
        duration_ms: e.durationMs,
        expected_min_ms: e.expectedMinMs,
        expected_max_ms: e.expectedMaxMs,
        overrun: e.overrun,
      };
    case 'incident-opened':
      return { ...base, started_at: e.startedAt };
    case 'incident-closed':
      return { ...base, started_at: e.startedAt, ended_at: e.endedAt, duration_ms: e.durationMs };
    case 'impact':
      return { ...base, site: e.siteIds.join(' '), service: e.service, from: e.from, to: e.to };
    case 'monitor-gap':
      return { ...base, started_at: e.from, ended_at: e.to, duration_ms: e.durationMs };
    case 'annotation':
      return { ...base, text: e.text };
  }
}

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled.
 * Any text a spreadsheet would run as a formula — starting with `=`, `+`, `-`, `@`, a tab or a
 * carriage return (OWASP's CSV injection list) — gets a leading `'` so it shows as text, in every
 * column: ids, names and states come from the config and the store as much as notes do. Numbers
 * and booleans are written as they are (a negative number is a number, not a formula).
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Each site's lost services as one row per interval, with its reason. */
function impactRows(impact: readonly SiteImpact[], incidentId: string): Row[] {
  return impact.flatMap((site) =>
    site.services.flatMap((s) =>
      s.intervals.map((i) => ({
        at: i.from,
        type: 'impact-interval',
        incident_id: incidentId,
        site: site.siteId,
        service: s.service,
        to: i.status,
        started_at: i.from,
        ended_at: i.to,
        duration_ms: i.durationMs,
        reason: i.reason,
      })),
    ),
  );
}

/**
 * The status database's changes: one row per switch change (codes in from/to, words in reason), per
 * server service change (the node, the service's name, its states in from/to, words in reason) and
 * per source change.
 */
function statusDbRows(detail: IncidentDetail): Row[] {
  const nodeNames = new Map((detail.servers ?? []).map((s) => [s.id, s.name]));
  const services = (detail.serviceChanges ?? []).map((e): Row => ({
    at: e.at,
    type: e.type,
    incident_id: e.incidentId,
    node: e.nodeId,
    service: e.service,
    from: e.from,
    to: e.to,
    reason: describeServiceChange(e, nodeNames.get(e.nodeId)),
  }));
  const switches = (detail.switchChanges ?? []).map((e): Row => ({
    at: e.at,
    type: e.type,
    incident_id: e.incidentId,
    site: e.siteId,
    switch: e.switch,
    from: e.from,
    to: e.to,
    reason: describeSwitchChange(e),
  }));
  const source = (detail.statusDbChanges ?? []).map((e): Row => ({
    at: e.at,
    type: e.type,
    incident_id: e.incidentId,
    from: e.from,
    to: e.to,
    reason: e.error,
    text: e.expected ? 'expected while an HQ window is open' : undefined,
  }));
  return [...switches, ...services, ...source];
}

/**
 * The incident as CSV, CRLF line ends, a header first: one line per timeline entry (impact
 * changes of a moment list their sites separated by spaces), then one per impact interval of
 * each site with its duration and reason, and one per status database change, all in time order.
 */
export function exportCsv(detail: IncidentDetail): string {
  const rows = [...detail.timeline.map(row), ...impactRows(detail.impact, detail.incident.id), ...statusDbRows(detail)];
  // The incident and the windows that started inside a maintenance window say so, with its reason.
  const plannedWindows = new Map(detail.incident.windows.flatMap((w) => (w.planned ? [[w.startedAt, w.planned]] : [])));
  for (const r of rows) {
    if ((r.type === 'incident-opened' || r.type === 'incident-closed') && detail.incident.planned) r.planned = detail.incident.planned;
    if ((r.type === 'window-opened' || r.type === 'window-closed') && plannedWindows.has(String(r.started_at)))
      r.planned = plannedWindows.get(String(r.started_at));
  }
  const ordered = rows.map((r, i) => ({ r, i, ms: Date.parse(String(r.at)) })).sort((a, b) => a.ms - b.ms || a.i - b.i);
  const lines = [CSV_COLUMNS.join(','), ...ordered.map(({ r }) => CSV_COLUMNS.map((c) => csvField(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
