import { rehomingTimeline, type IncidentDetail, type SiteRehoming } from '@hqwatch/shared';

/** Times (ms) where the replayed state changes because a switch or the source changed: the replay cache's change points. */
export function switchChangePoints(detail: Pick<IncidentDetail, 'switchChanges' | 'statusDbChanges'>): number[] {
  return [...(detail.switchChanges ?? []), ...(detail.statusDbChanges ?? [])]
    .map((e) => Date.parse(e.at))
    .filter((ms) => !Number.isNaN(ms));
}

/** Change points of the timeline and of the status database together, sorted, each once. */
export function mergePoints(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** The incident's re-homing per site, with the site's name; sites whose switches lost communication first. */
export function rehomingRows(detail: IncidentDetail, names: ReadonlyMap<string, string>): (SiteRehoming & { name: string })[] {
  return rehomingTimeline(detail.switchChanges ?? [])
    .map((site) => ({ ...site, name: names.get(site.siteId) ?? site.siteId }))
    .sort((a, b) => (a.firstLostAt === null ? 1 : 0) - (b.firstLostAt === null ? 1 : 0) || a.name.localeCompare(b.name));
}
