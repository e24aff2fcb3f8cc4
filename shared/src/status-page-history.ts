/**
 * A site's recent history for its users: the stretches of time its services were unavailable
 * (episodes, for the page) and each moment the set of unavailable services changed (for the Atom
 * feed), from the store's impact intervals. Only `down` time counts: time the monitor could not
 * vouch for is not called an interruption.
 */
import { userServiceOf, USER_SERVICES, type UserService } from './status-page.ts';
import type { ServiceKey } from './types.ts';

/** One stored interval of a service of the site being unavailable (ms; `endedAt` null while it lasts). */
export interface DownInterval {
  service: ServiceKey;
  startedAt: number;
  endedAt: number | null;
}

/** A stretch during which at least one service was unavailable. */
export interface Episode {
  from: number;
  /** Null: still going on. */
  to: number | null;
  services: UserService[];
}

/** A moment the set of unavailable services changed. */
export interface StatusChange {
  at: number;
  /** Unavailable from this moment. */
  lost: UserService[];
  /** Back from this moment. */
  back: UserService[];
  /** Still unavailable after it. */
  unavailable: UserService[];
}

const ordered = (set: ReadonlySet<UserService>) => USER_SERVICES.filter((s) => set.has(s));

/** Per user service: its down time as merged spans (telephony and video are one Call Manager line). */
function spansOf(intervals: readonly DownInterval[], fromMs: number): Map<UserService, { from: number; to: number | null }[]> {
  const by = new Map<UserService, { from: number; to: number | null }[]>();
  const sorted = intervals.filter((i) => i.endedAt === null || i.endedAt > fromMs).sort((a, b) => a.startedAt - b.startedAt);
  for (const i of sorted) {
    const service = userServiceOf(i.service);
    const list = by.get(service) ?? [];
    const last = list[list.length - 1];
    const from = Math.max(i.startedAt, fromMs);
    if (last && (last.to === null || last.to >= from))
      last.to = last.to === null || i.endedAt === null ? null : Math.max(last.to, i.endedAt);
    else list.push({ from, to: i.endedAt });
    by.set(service, list);
  }
  return by;
}

/** The moments the set of unavailable services changed since `fromMs`, oldest first. */
export function statusChanges(intervals: readonly DownInterval[], fromMs: number): StatusChange[] {
  const edges = new Map<number, { lost: Set<UserService>; back: Set<UserService> }>();
  const at = (t: number) => {
    let e = edges.get(t);
    if (!e) edges.set(t, (e = { lost: new Set(), back: new Set() }));
    return e;
  };
  for (const [service, spans] of spansOf(intervals, fromMs)) {
    for (const span of spans) {
      at(span.from).lost.add(service);
      if (span.to !== null) at(span.to).back.add(service);
    }
  }
  const down = new Set<UserService>();
  const changes: StatusChange[] = [];
  for (const t of [...edges.keys()].sort((a, b) => a - b)) {
    const e = edges.get(t)!;
    for (const s of e.back) if (!e.lost.has(s)) down.delete(s);
    for (const s of e.lost) down.add(s);
    const lost = ordered(e.lost);
    const back = ordered(new Set([...e.back].filter((s) => !e.lost.has(s))));
    if (lost.length || back.length) changes.push({ at: t, lost, back, unavailable: ordered(down) });
  }
  return changes;
}

/** The stretches with something unavailable since `fromMs`, newest first, at most `limit`. */
export function episodes(intervals: readonly DownInterval[], fromMs: number, limit = 10): Episode[] {
  const out: Episode[] = [];
  let open: { from: number; services: Set<UserService> } | null = null;
  for (const change of statusChanges(intervals, fromMs)) {
    if (!open && change.lost.length) open = { from: change.at, services: new Set() };
    if (!open) continue;
    for (const s of change.lost) open.services.add(s);
    if (change.unavailable.length === 0) {
      out.push({ from: open.from, to: change.at, services: ordered(open.services) });
      open = null;
    }
  }
  if (open) out.push({ from: open.from, to: null, services: ordered(open.services) });
  return out.reverse().slice(0, limit);
}
