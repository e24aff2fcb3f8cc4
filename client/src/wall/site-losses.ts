import { GLOBAL_SERVICES, SERVICE_KEYS, type ServiceKey, type SiteView } from '@hqwatch/shared';
import { impactScore } from '../sites/site-matrix.ts';

export interface SiteLoss {
  site: SiteView;
  lost: ServiceKey[];
}

/**
 * Sites that lost something of their own, worst first. Config changes, account codes and
 * workgroups are left out: when they go, they go everywhere, and the banner says so once.
 */
export function siteLosses(sites: readonly SiteView[]): SiteLoss[] {
  const losses: SiteLoss[] = [];
  for (const site of sites) {
    const lost = SERVICE_KEYS.filter((key) => !GLOBAL_SERVICES.includes(key) && site.services[key]?.status === 'down');
    if (lost.length) losses.push({ site, lost });
  }
  return losses.sort((a, b) => impactScore(b.site) - impactScore(a.site) || a.site.name.localeCompare(b.site.name));
}
