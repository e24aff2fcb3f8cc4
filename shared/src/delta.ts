import type { LiveState, StateDelta } from './types.ts';

interface Keyed {
  id: string;
}

/** Structural equality of plain JSON values; cheaper than serialising both sides every round. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

const same = sameValue;

function changedEntries<T extends Keyed>(prev: readonly T[], next: readonly T[]): T[] {
  const before = new Map(prev.map((entry) => [entry.id, entry]));
  return next.filter((entry) => !same(before.get(entry.id), entry));
}

function removedIds(prev: readonly Keyed[], next: readonly Keyed[]): string[] {
  const now = new Set(next.map((entry) => entry.id));
  return prev.filter((entry) => !now.has(entry.id)).map((entry) => entry.id);
}

/**
 * The delta that turns `prev` into `next`: only the parts that differ, with `next.seq` and `next.at`.
 * A delta with no key but `seq` and `at` is a heartbeat.
 */
export function diffState(prev: LiveState, next: LiveState): StateDelta {
  const delta: StateDelta = { seq: next.seq, at: next.at };
  if (!same(prev.hq, next.hq)) delta.hq = next.hq;
  const nodes = changedEntries(prev.nodes, next.nodes);
  if (nodes.length) delta.nodes = nodes;
  const sites = changedEntries(prev.sites, next.sites);
  if (sites.length) delta.sites = sites;
  const removedNodes = removedIds(prev.nodes, next.nodes);
  if (removedNodes.length) delta.removedNodes = removedNodes;
  const removedSites = removedIds(prev.sites, next.sites);
  if (removedSites.length) delta.removedSites = removedSites;
  if (!same(prev.incident, next.incident)) delta.incident = next.incident;
  if (!same(prev.monitor, next.monitor)) delta.monitor = next.monitor;
  if (!same(prev.impact, next.impact)) delta.impact = next.impact;
  if (!same(prev.statusDb, next.statusDb)) delta.statusDb = next.statusDb ?? null;
  return delta;
}

function mergeEntries<T extends Keyed>(
  current: readonly T[],
  changed: readonly T[] | undefined,
  removed: readonly string[] | undefined,
): T[] {
  if (!changed?.length && !removed?.length) return current as T[];
  const gone = new Set(removed ?? []);
  const updates = new Map((changed ?? []).map((entry) => [entry.id, entry]));
  const merged = current.filter((entry) => !gone.has(entry.id)).map((entry) => updates.get(entry.id) ?? entry);
  const known = new Set(current.map((entry) => entry.id));
  for (const entry of changed ?? []) if (!known.has(entry.id)) merged.push(entry);
  return merged;
}

/** Applies a delta produced by {@link diffState}; the inverse used by clients. */
export function applyDelta(state: LiveState, delta: StateDelta): LiveState {
  const statusDb = delta.statusDb === undefined ? state.statusDb : (delta.statusDb ?? undefined);
  return {
    contractVersion: state.contractVersion,
    seq: delta.seq,
    at: delta.at,
    hq: delta.hq ?? state.hq,
    nodes: mergeEntries(state.nodes, delta.nodes, delta.removedNodes),
    sites: mergeEntries(state.sites, delta.sites, delta.removedSites),
    incident: delta.incident === undefined ? state.incident : delta.incident,
    monitor: delta.monitor ?? state.monitor,
    impact: delta.impact ?? state.impact,
    ...(statusDb && { statusDb }),
  };
}
