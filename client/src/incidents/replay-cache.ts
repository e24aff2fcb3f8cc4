import { SERVICE_KEYS, sameValue, type LiveState, type NodeView, type SiteView, type TimelineEntry } from '@hqwatch/shared';

/**
 * Replayed states only change where the timeline records a change: a transition, a node status, a
 * window, an impact change, a monitor gap. Between two such moments, the state is the same but for
 * the clock (the moment and the open window's elapsed time), so one answer of the replay endpoint
 * serves every moment of its stretch.
 */
export function changePoints(timeline: readonly TimelineEntry[]): number[] {
  const points = new Set<number>();
  for (const entry of timeline) {
    if (entry.type === 'annotation') continue;
    points.add(Date.parse(entry.at));
    if (entry.type === 'monitor-gap') {
      points.add(Date.parse(entry.from));
      points.add(Date.parse(entry.to));
    }
  }
  return [...points].filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
}

/** Which stretch a moment falls in: how many change points are at or before it. */
export function stretchOf(points: readonly number[], atMs: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid]! <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A state of the same stretch moved to `atMs`: its moment and its window's elapsed time and overrun. */
export function atMoment(state: LiveState, atMs: number): LiveState {
  const at = new Date(atMs).toISOString();
  const window = state.hq.window;
  if (!window) return { ...state, at };
  const elapsedMs = Math.max(0, atMs - Date.parse(window.startedAt));
  return { ...state, at, hq: { ...state.hq, window: { ...window, elapsedMs, overrun: elapsedMs > window.expectedMaxMs } } };
}

function sameSite(a: SiteView, b: SiteView): boolean {
  if (a.id !== b.id || a.name !== b.name || a.callManagerAddress !== b.callManagerAddress) return false;
  for (const key of SERVICE_KEYS) {
    const x = a.services[key];
    const y = b.services[key];
    if (x?.status !== y?.status || x?.reason !== y?.reason || !!x?.atRisk !== !!y?.atRisk) return false;
  }
  return a.contradiction === b.contradiction && sameValue(a.switches, b.switches);
}

function sameNode(a: NodeView, b: NodeView): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.address === b.address &&
    a.role === b.role &&
    a.status === b.status &&
    a.flapping === b.flapping &&
    a.since === b.since &&
    JSON.stringify(a.probes) === JSON.stringify(b.probes) &&
    sameValue(a.services, b.services)
  );
}

function reuse<T extends { id: string }>(previous: readonly T[], next: T[], same: (a: T, b: T) => boolean): T[] {
  const old = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const out = next.map((item, index) => {
    const kept = old.get(item.id);
    const result = kept && (kept === item || same(kept, item)) ? kept : item;
    if (result !== previous[index]) changed = true;
    return result;
  });
  return changed ? out : (previous as T[]);
}

/**
 * `next` with every site and node equal to one of `previous` replaced by that object, and the arrays
 * themselves kept when nothing in them changed: the components showing them then skip re-rendering,
 * which is what keeps scrubbing across 500 sites smooth.
 */
export function keepIdentity(previous: LiveState | null, next: LiveState): LiveState {
  if (!previous) return next;
  return { ...next, sites: reuse(previous.sites, next.sites, sameSite), nodes: reuse(previous.nodes, next.nodes, sameNode) };
}

/**
 * Interns the sites and nodes of replayed states: each distinct version of a site is kept once,
 * however many answers contain it. Answers kept for many moments then cost little memory, and two
 * moments far apart share every site that did not change between them.
 */
export function createInterner(): (state: LiveState) => LiveState {
  const sites = new Map<string, SiteView[]>();
  const nodes = new Map<string, NodeView[]>();
  function pick<T extends { id: string }>(pool: Map<string, T[]>, item: T, same: (a: T, b: T) => boolean): T {
    const versions = pool.get(item.id);
    if (!versions) {
      pool.set(item.id, [item]);
      return item;
    }
    const found = versions.find((version) => same(version, item));
    if (found) return found;
    versions.push(item);
    return item;
  }
  return (state) => ({
    ...state,
    sites: state.sites.map((site) => pick(sites, site, sameSite)),
    nodes: state.nodes.map((node) => pick(nodes, node, sameNode)),
  });
}

/**
 * The stretches worth fetching ahead around the one shown: the nearest first, alternating later and
 * earlier, so dragging or playing from here finds its answers ready. Stretch 0 lies before the
 * first change, outside the incident.
 */
export function stretchesAround(current: number, count: number, reach: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= reach; d++) for (const k of [current + d, current - d]) if (k >= 1 && k <= count) out.push(k);
  return out;
}
