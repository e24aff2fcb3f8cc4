import { GLOBAL_SERVICES, SERVICE_KEYS, type ServiceKey, type SiteView } from '@hqwatch/shared';
import { impactScore } from '../sites/site-matrix.ts';
import { plural } from '../ui/format.ts';
import type { Tone } from '../ui/status.ts';

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

/** The wall's line when no site lost anything of its own: calm, at risk, or partly unknown. */
export interface CalmLine {
  tone: Tone;
  glyph: string;
  text: string;
}

/**
 * What the wall says when no site has lost a service of its own. In a split brain the statuses
 * are computed as if HQ services were answered, so the sites are at risk, never plain green.
 */
export function calmLine(sites: readonly SiteView[]): CalmLine {
  const atRisk = sites.filter((site) => SERVICE_KEYS.some((key) => site.services[key]?.atRisk)).length;
  if (atRisk > 0)
    return {
      tone: 'warn',
      glyph: '!',
      text: `At risk: ${plural(atRisk, 'site')} computed as if HQ services were answered — both HQ servers claim to be HQ`,
    };
  const unknown = sites.filter((site) => SERVICE_KEYS.some((key) => site.services[key]?.status === 'unknown')).length;
  const all = `All ${plural(sites.length, 'site')} have Call Manager telephony, voicemail and intersite calls`;
  return { tone: 'ok', glyph: '✓', text: unknown ? `${all} · ${unknown} unknown` : all };
}
