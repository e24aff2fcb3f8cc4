import type { SiteConfig } from './config.ts';
import type { ImpactSummary, LossCount, SiteView } from './types.ts';
import { SERVICE_KEYS } from './types.ts';

type CountedService = 'telephony' | 'voicemail' | 'drsIntersite';
const COUNTED: readonly CountedService[] = ['telephony', 'voicemail', 'drsIntersite'];

function isImpacted(site: SiteView): boolean {
  return SERVICE_KEYS.some((key) => site.services[key].status === 'down');
}

/**
 * The banner's figures: how many sites have lost anything, and for telephony, voicemail and
 * intersite calls how many sites and configured users lost them. Users stay `null` while none of
 * the sites that lost the service has a `userCount`, so "0 users" is never shown for unknown counts.
 */
export function summarizeImpact(
  sites: readonly SiteView[],
  siteConfigs: readonly SiteConfig[],
  globalServicesDown: boolean,
): ImpactSummary {
  const userCounts = new Map(siteConfigs.map((site) => [site.id, site.userCount]));
  const losses: Record<CountedService, LossCount> = {
    telephony: { sites: 0, users: null },
    voicemail: { sites: 0, users: null },
    drsIntersite: { sites: 0, users: null },
  };
  let sitesImpacted = 0;
  for (const site of sites) {
    if (isImpacted(site)) sitesImpacted += 1;
    const users = userCounts.get(site.id);
    for (const key of COUNTED) {
      if (site.services[key].status !== 'down') continue;
      const loss = losses[key];
      loss.sites += 1;
      if (users !== undefined) loss.users = (loss.users ?? 0) + users;
    }
  }
  return { sitesImpacted, ...losses, globalServicesDown };
}
