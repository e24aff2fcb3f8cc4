import { computed } from 'vue';
import type { useLiveStore } from '../state/live.store.ts';
import { groupSites, type MapGroup } from './site-groups.ts';
import { useSiteDirectory } from './useSiteDirectory.ts';

/** The live sites grouped by home server, for the map and the per-server losses. */
export function useSiteGroups(live: ReturnType<typeof useLiveStore>) {
  const sites = computed(() => live.state?.sites ?? []);
  const { directory } = useSiteDirectory(
    computed(() => live.connection),
    sites,
  );
  const groups = computed<MapGroup[]>(() => groupSites(sites.value, directory.value));
  return { groups };
}
