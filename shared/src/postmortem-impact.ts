import { CALL_MANAGER_LOSS } from './hq-words.ts';
import { durationWords } from './duration.ts';
import type { SiteImpact } from './history-api.ts';
import { GLOBAL_SERVICES, SERVICE_KEYS, type ServiceKey } from './types.ts';

/**
 * The postmortem's names of the services, as a reader expects them rather than code keys. The Call
 * Manager's telephony and video are one row when they were lost alike (they always go together:
 * the users' home server carries both), called as the banner calls them ({@link CALL_MANAGER_LOSS}).
 */
export const SERVICE_TITLE: Record<ServiceKey, string> = {
  telephony: 'Call Manager telephony',
  video: 'Call Manager video',
  im: 'IM',
  voicemail: 'Voicemail',
  drsIntersite: 'Calls to other sites (DRS)',
  configChanges: 'Configuration changes',
  accountCodes: 'Account codes',
  workgroups: 'Workgroups',
};

/** A service title inside a sentence: "voicemail", but "Call Manager …" and "IM" as they are. */
export function serviceInline(title: string): string {
  return /^(Call Manager|IM)\b/.test(title) ? title : title.charAt(0).toLowerCase() + title.slice(1);
}

/** One row of the impact table: a service (or telephony and video together), summed over the sites that lost it. */
export interface ImpactRow {
  title: string;
  services: ServiceKey[];
  /** Sites that were without it for some time. */
  sites: number;
  /** Their users, where the site has a `userCount`. */
  users: number;
  /** Sites among them without a `userCount`: their users, and so their user-minutes, are not counted. */
  uncounted: number;
  /** Users of a site × minutes the site was without the service, summed. */
  userMinutes: number;
  /** The longest a site was without it at a stretch (one interval). */
  longestMs: number;
}

/** Sites that lost the same services for the same times, as one line. */
export interface SiteGroup {
  siteIds: string[];
  names: string[];
  users: number;
  uncounted: number;
  userMinutes: number;
  /** "Call Manager telephony & video, voicemail — 12 min 2 s; IM uncertain — 6 min". */
  lost: string;
}

interface Unit {
  title: string;
  services: ServiceKey[];
}

/** Time per service of one site: `down`, and `unknown` (not a loss, but not known to work either). */
interface SiteTimes {
  down: Map<ServiceKey, number>;
  unknown: Map<ServiceKey, number>;
  /** The longest stretch down, and how many stretches. */
  longest: Map<ServiceKey, number>;
  stretches: Map<ServiceKey, number>;
}

function timesOf(site: SiteImpact): SiteTimes {
  const times: SiteTimes = { down: new Map(), unknown: new Map(), longest: new Map(), stretches: new Map() };
  for (const s of site.services) {
    const down = s.intervals.filter((i) => i.status === 'down' && i.durationMs > 0);
    if (s.downMs > 0) times.down.set(s.service, s.downMs);
    if (down.length) {
      times.longest.set(s.service, Math.max(...down.map((i) => i.durationMs)));
      times.stretches.set(s.service, down.length);
    }
    const unknown = s.intervals.filter((i) => i.status === 'unknown').reduce((sum, i) => sum + i.durationMs, 0);
    if (unknown > 0) times.unknown.set(s.service, unknown);
  }
  return times;
}

/** Telephony and video as one unit when every site lost both for as long (and knew as little of both). */
function unitsOf(sites: readonly SiteTimes[]): Unit[] {
  const alike = sites.every(
    (t) =>
      (t.down.get('telephony') ?? 0) === (t.down.get('video') ?? 0) && (t.unknown.get('telephony') ?? 0) === (t.unknown.get('video') ?? 0),
  );
  const cm: Unit[] = alike
    ? [{ title: CALL_MANAGER_LOSS, services: ['telephony', 'video'] }]
    : [
        { title: SERVICE_TITLE.telephony, services: ['telephony'] },
        { title: SERVICE_TITLE.video, services: ['video'] },
      ];
  const rest = SERVICE_KEYS.filter((k) => k !== 'telephony' && k !== 'video').map((k): Unit => ({
    title: SERVICE_TITLE[k],
    services: [k],
  }));
  return [...cm, ...rest];
}

const msOf = (map: Map<ServiceKey, number>, unit: Unit) => map.get(unit.services[0]!) ?? 0;

/** The impact table: one row per service some site lost, in the vendor's order. */
function rowsOf(impact: readonly SiteImpact[], times: readonly SiteTimes[], units: readonly Unit[]): ImpactRow[] {
  const rows: ImpactRow[] = [];
  for (const unit of units) {
    const row: ImpactRow = { title: unit.title, services: unit.services, sites: 0, users: 0, uncounted: 0, userMinutes: 0, longestMs: 0 };
    impact.forEach((site, i) => {
      const ms = msOf(times[i]!.down, unit);
      if (ms <= 0) return;
      row.sites += 1;
      row.longestMs = Math.max(row.longestMs, msOf(times[i]!.longest, unit));
      if (site.userCount === null) row.uncounted += 1;
      else {
        row.users += site.userCount;
        row.userMinutes += (site.userCount * ms) / 60_000;
      }
    });
    if (row.sites > 0) rows.push({ ...row, userMinutes: Math.round(row.userMinutes) });
  }
  return rows;
}

/** "a, b — 12 min 2 s; c — 15 min": units lost for the same (rounded) time said together, longest first. */
function lostText(parts: readonly { title: string; ms: number; unknown: boolean; stretches?: number }[]): string {
  const byTime = new Map<string, string[]>();
  const order: { key: string; ms: number }[] = [];
  for (const p of parts) {
    const key = `${p.unknown ? 'u' : 'd'}${durationWords(p.ms)}${(p.stretches ?? 1) > 1 ? ` in ${p.stretches} stretches` : ''}`;
    if (!byTime.has(key)) {
      byTime.set(key, []);
      order.push({ key, ms: p.unknown ? -1 / (1 + p.ms) : p.ms });
    }
    byTime.get(key)!.push(serviceInline(p.title));
  }
  return order
    .sort((a, b) => b.ms - a.ms)
    .map(({ key }) => `${byTime.get(key)!.join(', ')}${key.startsWith('u') ? ' uncertain' : ''} — ${key.slice(1)}`)
    .join('; ');
}

/**
 * What each site lost, as a signature: the units it was without (and for how long, to the
 * second), then those it knew nothing of. Sites with the same signature read as one line.
 */
function groupsOf(impact: readonly SiteImpact[], times: readonly SiteTimes[], units: readonly Unit[]): SiteGroup[] {
  const groups = new Map<string, SiteGroup>();
  impact.forEach((site, i) => {
    const t = times[i]!;
    const parts = [
      ...units.flatMap((u) =>
        msOf(t.down, u) > 0 ? [{ title: u.title, ms: msOf(t.down, u), unknown: false, stretches: msOf(t.stretches, u) }] : [],
      ),
      ...units.flatMap((u) => (msOf(t.unknown, u) > 0 ? [{ title: u.title, ms: msOf(t.unknown, u), unknown: true }] : [])),
    ];
    const lost = parts.length ? lostText(parts) : 'only what every site lost';
    let group = groups.get(lost);
    if (!group) groups.set(lost, (group = { siteIds: [], names: [], users: 0, uncounted: 0, userMinutes: 0, lost }));
    group.siteIds.push(site.siteId);
    group.names.push(site.name);
    if (site.userCount === null) group.uncounted += 1;
    else group.users += site.userCount;
    const worst = Math.max(0, ...parts.filter((p) => !p.unknown).map((p) => p.ms));
    group.userMinutes += ((site.userCount ?? 0) * worst) / 60_000;
  });
  return [...groups.values()]
    .map((g) => ({ ...g, names: [...g.names].sort((a, b) => a.localeCompare(b)), userMinutes: Math.round(g.userMinutes) }))
    .sort((a, b) => b.userMinutes - a.userMinutes || b.siteIds.length - a.siteIds.length || a.lost.localeCompare(b.lost));
}

/** The impact of an incident, summed per service and grouped per pattern of sites. */
export interface ImpactDigest {
  rows: ImpactRow[];
  /**
   * What every site lost alike (the services a window takes from all sites: configuration
   * changes, account codes, workgroups), said once and left out of the groups; null when sites differ.
   */
  everywhere: { lost: string; sites: number; users: number; uncounted: number } | null;
  groups: SiteGroup[];
}

export function digestImpact(impact: readonly SiteImpact[]): ImpactDigest {
  const times = impact.map(timesOf);
  const units = unitsOf(times);
  const rows = rowsOf(impact, times, units);
  const globals = units.filter((u) => GLOBAL_SERVICES.includes(u.services[0]!));
  const signature = (t: SiteTimes) => globals.map((u) => `${msOf(t.down, u)}/${msOf(t.unknown, u)}/${msOf(t.stretches, u)}`).join(',');
  const first = times[0];
  const shared =
    first !== undefined && globals.some((u) => msOf(first.down, u) > 0) && times.every((t) => signature(t) === signature(first));
  if (!shared) return { rows, everywhere: null, groups: groupsOf(impact, times, units) };
  const own = units.filter((u) => !globals.includes(u));
  const lost = lostText(
    globals.flatMap((u) =>
      msOf(first.down, u) > 0 ? [{ title: u.title, ms: msOf(first.down, u), unknown: false, stretches: msOf(first.stretches, u) }] : [],
    ),
  );
  const users = impact.reduce((sum, s) => sum + (s.userCount ?? 0), 0);
  const uncounted = impact.filter((s) => s.userCount === null).length;
  return { rows, everywhere: { lost, sites: impact.length, users, uncounted }, groups: groupsOf(impact, times, own) };
}
