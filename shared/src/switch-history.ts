import type { ServerServiceEvent } from './service-history.ts';
import type { SiteSwitchCodes } from './status-db.ts';
import type { StatusDbStatus } from './status-db-types.ts';
import { switchCodeText, switchCodeTone, type SwitchTone } from './switch-codes.ts';
import type { HqState } from './types.ts';

/**
 * History of the status database source. These events are recorded by the status database
 * poller on its own interval, beside (not inside) the round's `HistoryEvent`s.
 */
export type SwitchHistoryEvent = SwitchStatusEvent | StatusDbSourceEvent | ServerServiceEvent;

/** A voice switch of a site changed status; `from` null: first read, `to` null: no longer listed. */
export interface SwitchStatusEvent {
  type: 'switch-status';
  at: string;
  incidentId: string | null;
  siteId: string;
  switch: string;
  from: number | null;
  to: number | null;
  /** The HQ state when the change was read: "back in service under the secondary". */
  hqState: HqState;
}

/** The status database source changed status (reachable, stale, unreachable). */
export interface StatusDbSourceEvent {
  type: 'status-db';
  at: string;
  incidentId: string | null;
  from: StatusDbStatus;
  to: StatusDbStatus;
  error?: string;
  expected?: boolean;
}

/**
 * The switch changes between two reads, site by site and switch by switch, in a stable order
 * (site ids as given, switch names sorted). Pure: the poller records exactly what it returns.
 */
export function deriveSwitchEvents(
  prev: SiteSwitchCodes,
  next: SiteSwitchCodes,
  at: string,
  ctx: { incidentId: string | null; hqState: HqState },
): SwitchStatusEvent[] {
  const events: SwitchStatusEvent[] = [];
  const siteIds = [...new Set([...Object.keys(next), ...Object.keys(prev)])];
  for (const siteId of siteIds) {
    const before = prev[siteId] ?? {};
    const after = next[siteId] ?? {};
    const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const name of names) {
      const from = before[name] ?? null;
      const to = after[name] ?? null;
      if (from === to) continue;
      events.push({ type: 'switch-status', at, incidentId: ctx.incidentId, siteId, switch: name, from, to, hqState: ctx.hqState });
    }
  }
  return events;
}

/** One stretch of one switch at one status. */
export interface SwitchInterval {
  code: number;
  text: string;
  tone: SwitchTone;
  /** Null: it held from before the span. */
  from: string | null;
  /** Null: it still holds at the end of the span. */
  to: string | null;
  /** The HQ state when the stretch began (null when it began before the span). */
  hqState: HqState | null;
}

export interface SwitchRehoming {
  switch: string;
  intervals: SwitchInterval[];
}

/** Per site: which switches changed status during a span and when, e.g. lost communication in a failover, back under the secondary. */
export interface SiteRehoming {
  siteId: string;
  switches: SwitchRehoming[];
  /** The first time a switch of the site lost communication (490) in the span, if one did. */
  firstLostAt: string | null;
  /** When the last of them was back in service (110), if all came back. */
  allBackAt: string | null;
}

/**
 * The re-homing timeline of a span from its switch changes (oldest first): per site, per switch,
 * the stretches at each status. Sites come in the order their first change happened.
 */
export function rehomingTimeline(changes: readonly SwitchStatusEvent[]): SiteRehoming[] {
  const sites = new Map<string, Map<string, SwitchInterval[]>>();
  const ordered = [...changes].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const event of ordered) {
    let switches = sites.get(event.siteId);
    if (!switches) sites.set(event.siteId, (switches = new Map()));
    let intervals = switches.get(event.switch);
    if (!intervals) {
      intervals = [];
      switches.set(event.switch, intervals);
      if (event.from !== null) intervals.push(interval(event.from, null, null));
    }
    const open = intervals.at(-1);
    if (open) open.to = event.at;
    if (event.to !== null) intervals.push(interval(event.to, event.at, event.hqState));
  }
  return [...sites].map(([siteId, switches]) => {
    const all = [...switches.values()];
    const lost = all.flatMap((iv) => iv.filter((i) => i.code === 490 && i.from !== null).map((i) => i.from!));
    const lastCodes = all.map((iv) => iv.at(-1));
    const everyBack = lastCodes.every((i) => i?.code === 110 && i.from !== null);
    const backTimes = lastCodes.flatMap((i) => (i?.from ? [i.from] : []));
    return {
      siteId,
      switches: [...switches]
        .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
        .map(([name, intervals]) => ({ switch: name, intervals })),
      firstLostAt: lost.sort()[0] ?? null,
      allBackAt: lost.length && everyBack ? (backTimes.sort().at(-1) ?? null) : null,
    };
  });
}

function interval(code: number, from: string | null, hqState: HqState | null): SwitchInterval {
  return { code, text: switchCodeText(code), tone: switchCodeTone(code), from, to: null, hqState };
}

/** One change as a line of an export or a log: "sw-hq-1 at Headquarters: lost communication → in service (HQ secondary-active)". */
export function describeSwitchChange(event: SwitchStatusEvent, siteName = event.siteId): string {
  const word = (code: number | null) => (code === null ? 'not listed' : switchCodeText(code));
  return `${event.switch} at ${siteName}: ${word(event.from)} → ${word(event.to)} (HQ ${event.hqState})`;
}
