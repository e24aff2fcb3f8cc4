import { SERVICE_KEYS, type ServiceKey, type SiteView } from '@hqwatch/shared';
import { SERVICE_SEVERITY } from '../ui/status.ts';

export type SortKey = 'name' | 'impact' | ServiceKey;

export interface MatrixQuery {
  sort: SortKey;
  descending: boolean;
  onlyImpacted: boolean;
  /** Case-insensitive part of the site name or id. */
  text: string;
}

export const DEFAULT_QUERY: MatrixQuery = { sort: 'impact', descending: true, onlyImpacted: false, text: '' };

/** A site is impacted when at least one of its services is down. */
export function isImpacted(site: SiteView): boolean {
  return SERVICE_KEYS.some((key) => site.services[key]?.status === 'down');
}

/** Down services weigh most, then unknown ones, so the worst sites sort first. */
export function impactScore(site: SiteView): number {
  let score = 0;
  for (const key of SERVICE_KEYS) {
    const status = site.services[key]?.status ?? 'unknown';
    score += status === 'down' ? 100 : status === 'unknown' ? 1 : 0;
  }
  return score;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The sort key of a site, computed once per sort rather than once per comparison. */
function keyOf(sort: SortKey): (site: SiteView) => number {
  if (sort === 'impact') return impactScore;
  if (sort === 'name') return () => 0;
  return (site) => SERVICE_SEVERITY[site.services[sort]?.status ?? 'unknown'];
}

/**
 * The rows of the matrix: filtered, then sorted with the name as tie-breaker so rows do not jump
 * between updates when their keys are equal.
 */
export function selectSites(sites: readonly SiteView[], query: MatrixQuery): SiteView[] {
  const needle = query.text.trim().toLowerCase();
  const key = keyOf(query.sort);
  const direction = query.descending ? -1 : 1;
  const nameDirection = query.sort === 'name' ? direction : 1;
  const rows: { site: SiteView; key: number }[] = [];
  for (const site of sites) {
    if (query.onlyImpacted && !isImpacted(site)) continue;
    if (needle && !site.name.toLowerCase().includes(needle) && !site.id.toLowerCase().includes(needle)) continue;
    rows.push({ site, key: key(site) });
  }
  rows.sort((a, b) => direction * (a.key - b.key) || nameDirection * collator.compare(a.site.name, b.site.name));
  return rows.map((row) => row.site);
}

/** Counts for the matrix caption: sites shown, impacted, total. */
export function matrixCounts(sites: readonly SiteView[]): { total: number; impacted: number } {
  let impacted = 0;
  for (const site of sites) if (isImpacted(site)) impacted += 1;
  return { total: sites.length, impacted };
}
