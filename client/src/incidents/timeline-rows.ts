import {
  GLOBAL_SERVICES,
  PRIMARY_ID,
  SECONDARY_ID,
  type HqState,
  type IncidentDetail,
  type NodeStatus,
  type ServiceKey,
  type SiteImpact,
  type TimelineEntry,
  type WindowKind,
} from '@hqwatch/shared';
import { HQ_STATE, NODE_STATUS, SERVICE_LABEL, SERVICE_STATUS, type StatusLook, type Tone } from '../ui/status.ts';
import type { Span } from './scrub.ts';

/** A stretch of one row in one status; its look carries a word and a glyph, never colour alone. */
export interface Segment {
  fromMs: number;
  toMs: number;
  tone: Tone;
  word: string;
  glyph: string;
}

export type RowKind = 'hq' | 'node' | 'global' | 'site' | 'service';

export interface TimelineRow {
  key: string;
  label: string;
  kind: RowKind;
  siteId?: string;
  expanded?: boolean;
  segments: Segment[];
}

export interface WindowBand {
  fromMs: number;
  toMs: number;
  kind: WindowKind;
  overrun: boolean;
}

export interface AnnotationMark {
  id: string;
  ms: number;
  text: string;
}

export interface NodeInfo {
  id: string;
  name: string;
  status: NodeStatus;
}

export interface RowOptions {
  /** Sites shown with one row per service. */
  expanded: ReadonlySet<string>;
  /** At most this many site rows; the rest are counted in `hiddenSites`. */
  siteLimit: number;
  /** Names and statuses at the start of the incident, from its replay; nodes without events keep theirs. */
  nodes: readonly NodeInfo[];
}

export interface TimelineModel {
  rows: TimelineRow[];
  windows: WindowBand[];
  annotations: AnnotationMark[];
  /** Sites that lost a service of their own, shown or not. */
  impactedSites: number;
  hiddenSites: number;
}

function ms(time: string): number {
  return Date.parse(time);
}

/** Segments of a row that holds `initial` from the start and changes at each of `changes`. */
export function stepSegments<S>(
  initial: S,
  changes: readonly { ms: number; to: S }[],
  span: Span,
  look: (status: S) => StatusLook,
): Segment[] {
  const segments: Segment[] = [];
  let status = initial;
  let from = span.startMs;
  const close = (to: number) => {
    const end = Math.min(to, span.endMs);
    if (end <= from) return;
    const last = segments.at(-1);
    const { tone, word, glyph } = look(status);
    if (last && last.toMs === from && last.word === word && last.tone === tone) last.toMs = end;
    else segments.push({ fromMs: from, toMs: end, tone, word, glyph });
  };
  for (const change of changes) {
    close(change.ms);
    from = Math.max(from, Math.min(change.ms, span.endMs));
    status = change.to;
  }
  close(span.endMs);
  return segments;
}

function hqRow(timeline: readonly TimelineEntry[], span: Span): TimelineRow {
  const transitions = timeline.filter((e) => e.type === 'hq-transition');
  const initial: HqState = transitions[0]?.from ?? 'starting';
  const changes = transitions.map((e) => ({ ms: ms(e.at), to: e.to }));
  return { key: 'hq', label: 'HQ state', kind: 'hq', segments: stepSegments(initial, changes, span, (s) => HQ_STATE[s]) };
}

type NodeMark = { status: NodeStatus; flapping: boolean };

function nodeLook({ status, flapping }: NodeMark): StatusLook {
  const look = NODE_STATUS[status];
  return flapping ? { word: `${look.word}, flapping`, glyph: '⇅', tone: 'warn' } : look;
}

function nodeRows(timeline: readonly TimelineEntry[], span: Span, nodes: readonly NodeInfo[]): TimelineRow[] {
  const changes = new Map<string, { ms: number; to: NodeMark }[]>();
  const initial = new Map<string, NodeMark>(nodes.map((n) => [n.id, { status: n.status, flapping: false }]));
  for (const e of timeline) {
    if (e.type !== 'node-status') continue;
    let list = changes.get(e.nodeId);
    if (!list) {
      changes.set(e.nodeId, (list = []));
      initial.set(e.nodeId, { status: e.from, flapping: false });
    }
    list.push({ ms: ms(e.at), to: { status: e.to, flapping: e.flapping } });
  }
  const names = new Map(nodes.map((n) => [n.id, n.name]));
  const rank = (id: string) => (id === PRIMARY_ID ? 0 : id === SECONDARY_ID ? 1 : 2);
  const ids = [...initial.keys()].sort(
    (a, b) => rank(a) - rank(b) || (names.get(a) ?? a).localeCompare(names.get(b) ?? b, 'en', { numeric: true }),
  );
  return ids.map((id) => ({
    key: `node:${id}`,
    label: names.get(id) ?? id,
    kind: 'node' as const,
    segments: stepSegments(initial.get(id)!, changes.get(id) ?? [], span, nodeLook),
  }));
}

type Interval = { fromMs: number; toMs: number; status: 'down' | 'unknown' | 'n/a' | 'ok'; service: ServiceKey };

function intervalsOf(site: SiteImpact, span: Span, services: (key: ServiceKey) => boolean): Interval[] {
  return site.services
    .filter((s) => services(s.service))
    .flatMap((s) =>
      s.intervals.map((i) => ({ fromMs: ms(i.from), toMs: i.to === null ? span.endMs : ms(i.to), status: i.status, service: s.service })),
    );
}

/** The row of a set of intervals: at each moment the worst status among them, `ok` elsewhere. */
function worstSegments(intervals: readonly Interval[], span: Span, describe: (services: ServiceKey[]) => string): Segment[] {
  const bounds = [...new Set([span.startMs, span.endMs, ...intervals.flatMap((i) => [i.fromMs, i.toMs])])]
    .filter((b) => b >= span.startMs && b <= span.endMs)
    .sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const from = bounds[k]!;
    const to = bounds[k + 1]!;
    const open = intervals.filter((i) => i.fromMs <= from && i.toMs >= to && i.status !== 'ok' && i.status !== 'n/a');
    const down = open.filter((i) => i.status === 'down');
    const worst = down.length ? down : open;
    const base = SERVICE_STATUS[worst.length ? worst[0]!.status : 'ok'];
    const word = worst.length ? `${base.word}: ${describe([...new Set(worst.map((i) => i.service))])}` : base.word;
    const last = segments.at(-1);
    if (last && last.word === word && last.toMs === from) last.toMs = to;
    else segments.push({ fromMs: from, toMs: to, tone: base.tone, word, glyph: base.glyph });
  }
  return segments;
}

const serviceList = (services: ServiceKey[]) => services.map((s) => SERVICE_LABEL[s]).join(', ');
const isGlobal = (key: ServiceKey) => GLOBAL_SERVICES.includes(key);

function serviceRows(site: SiteImpact, span: Span): TimelineRow[] {
  return site.services.map((s) => ({
    key: `service:${site.siteId}:${s.service}`,
    label: `    ${SERVICE_LABEL[s.service]}`,
    kind: 'service' as const,
    siteId: site.siteId,
    segments: worstSegments(
      intervalsOf(site, span, (key) => key === s.service),
      span,
      () => SERVICE_LABEL[s.service],
    ),
  }));
}

/**
 * The rows of the state timeline: the HQ state, each server, the services lost everywhere, then
 * each site that lost a service of its own (most impacted first), one row per service when expanded.
 */
export function buildTimeline(detail: IncidentDetail, span: Span, options: RowOptions): TimelineModel {
  const rows: TimelineRow[] = [hqRow(detail.timeline, span), ...nodeRows(detail.timeline, span, options.nodes)];
  const global = detail.impact.flatMap((site) => intervalsOf(site, span, isGlobal));
  if (global.length)
    rows.push({
      key: 'global',
      label: 'All sites: config, codes, workgroups',
      kind: 'global',
      segments: worstSegments(global, span, () => 'config changes, account codes, workgroups'),
    });
  const impacted = detail.impact.filter((site) => site.services.some((s) => !isGlobal(s.service) && s.intervals.length > 0));
  for (const site of impacted.slice(0, options.siteLimit)) {
    const expanded = options.expanded.has(site.siteId);
    rows.push({
      key: `site:${site.siteId}`,
      label: `${expanded ? '▾' : '▸'} ${site.name}`,
      kind: 'site',
      siteId: site.siteId,
      expanded,
      segments: worstSegments(
        intervalsOf(site, span, (key) => !isGlobal(key)),
        span,
        serviceList,
      ),
    });
    if (expanded) rows.push(...serviceRows(site, span));
  }
  return {
    rows,
    windows: windowBands(detail, span),
    annotations: annotationMarks(detail.timeline),
    impactedSites: impacted.length,
    hiddenSites: Math.max(0, impacted.length - options.siteLimit),
  };
}

export function windowBands(detail: IncidentDetail, span: Span): WindowBand[] {
  return detail.incident.windows.map((w) => ({
    fromMs: ms(w.startedAt),
    toMs: w.endedAt === null ? span.endMs : ms(w.endedAt),
    kind: w.kind,
    overrun: w.overrun || w.verdict === 'overrun',
  }));
}

export function annotationMarks(timeline: readonly TimelineEntry[]): AnnotationMark[] {
  return timeline.flatMap((e) => (e.type === 'annotation' ? [{ id: e.id, ms: ms(e.at), text: e.text }] : []));
}

/** The segment of a row at a moment, by binary search (rows are ordered and do not overlap). */
export function segmentAt(row: TimelineRow, atMs: number): Segment | null {
  const segments = row.segments;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = segments[mid]!;
    if (atMs < s.fromMs) hi = mid - 1;
    else if (atMs > s.toMs) lo = mid + 1;
    else return s;
  }
  return null;
}
