import { HQ_HOME, type SiteDirectory, type SiteView } from '@hqwatch/shared';
import { lostServices, tileKind, type TileKind } from './tile-loss.ts';

/** A site as the wall's map draws it. */
export interface MapSite {
  id: string;
  name: string;
  short?: string;
  kind: TileKind;
  /** What changes the tile: its kind and the services it lost (compared to mark recent changes). */
  signature: string;
}

/** The losses of one home server's sites that the NOC names: telephony, voicemail, intersite calls. */
export interface GroupLoss {
  sites: number;
  /** Sum of the configured user counts of those sites; null when none of them has one. */
  users: number | null;
}

export interface MapGroup {
  id: string;
  name: string;
  sites: MapSite[];
  users: number | null;
  telephony: GroupLoss;
  voicemail: GroupLoss;
  intersite: GroupLoss;
}

/** Sites whose home the directory does not know yet (a config reloaded since it was read). */
export const UNKNOWN_HOME = { id: '(unknown)', name: 'Other sites' } as const;

function addUsers(total: number | null, users: number | undefined): number | null {
  return users === undefined ? total : (total ?? 0) + users;
}

/**
 * The sites grouped by the server their users are homed on: HQ first, then the distributed servers
 * in config order, each group's sites in the order of the state (the config's). Empty groups are
 * left out. Without a directory every site goes in one group.
 */
export function groupSites(sites: readonly SiteView[], directory: SiteDirectory | null): MapGroup[] {
  const entries = new Map(directory?.sites.map((s) => [s.id, s]));
  const groups = new Map<string, MapGroup>();
  const empty = (id: string, name: string): MapGroup => ({
    id,
    name,
    sites: [],
    users: null,
    telephony: { sites: 0, users: null },
    voicemail: { sites: 0, users: null },
    intersite: { sites: 0, users: null },
  });
  for (const g of directory?.groups ?? [{ id: HQ_HOME, name: 'HQ' }]) groups.set(g.id, empty(g.id, g.name));
  for (const site of sites) {
    const entry = entries.get(site.id);
    const home = entry && groups.has(entry.home) ? entry.home : directory ? UNKNOWN_HOME.id : HQ_HOME;
    let group = groups.get(home);
    if (!group) groups.set(home, (group = empty(UNKNOWN_HOME.id, UNKNOWN_HOME.name)));
    const lost = lostServices(site);
    const kind = tileKind(site);
    group.sites.push({ id: site.id, name: site.name, short: entry?.short, kind, signature: `${kind}:${lost.join(',')}` });
    group.users = addUsers(group.users, entry?.userCount);
    const count = (loss: GroupLoss) => {
      loss.sites += 1;
      loss.users = addUsers(loss.users, entry?.userCount);
    };
    if (lost.includes('telephony')) count(group.telephony);
    if (lost.includes('voicemail')) count(group.voicemail);
    if (lost.includes('drsIntersite')) count(group.intersite);
  }
  if (!directory) groups.get(HQ_HOME)!.name = 'All sites';
  return [...groups.values()].filter((g) => g.sites.length > 0);
}
