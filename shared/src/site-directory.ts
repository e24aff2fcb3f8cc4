import type { HqwatchConfig } from './config.ts';

/** Where a site's users are homed: HQ (whichever server is HQ), or a distributed server by its id. */
export const HQ_HOME = 'hq';

/** One site as the wall groups it: by the server its users are homed on. */
export interface SiteDirectoryEntry {
  id: string;
  name: string;
  /** The configured short name (`sites[].short`), if any. */
  short?: string;
  /** `hq` or a distributed server's id. */
  home: string;
  /** Where its voicemail goes: `hq` or a distributed server's id. */
  voicemail: string;
  userCount?: number;
}

/** A home server: HQ first, then the distributed servers in config order. */
export interface SiteGroupEntry {
  id: string;
  name: string;
}

/** `GET /api/sites`: the sites and the servers they are homed on, from the config. */
export interface SiteDirectory {
  groups: SiteGroupEntry[];
  sites: SiteDirectoryEntry[];
}

/**
 * The site directory of a config: facts that change only with the config, kept off the live wire
 * (which carries statuses), so the wall can group 500 sites without 500 more fields per update.
 */
export function siteDirectory(config: HqwatchConfig): SiteDirectory {
  return {
    groups: [{ id: HQ_HOME, name: 'HQ' }, ...config.servers.map((s) => ({ id: s.id, name: s.name }))],
    sites: config.sites.map((site) => ({
      id: site.id,
      name: site.name,
      ...(site.short !== undefined && { short: site.short }),
      home: site.users,
      voicemail: site.voicemail,
      ...(site.userCount !== undefined && { userCount: site.userCount }),
    })),
  };
}
