import { shallowRef, watch, type Ref } from 'vue';
import type { SiteDirectory, SiteView } from '@hqwatch/shared';
import { request } from '../api/request.ts';
import type { ConnectionStatus } from '../state/live.store.ts';

const isDirectory = (body: unknown): body is SiteDirectory =>
  !!body && typeof body === 'object' && Array.isArray((body as SiteDirectory).sites) && Array.isArray((body as SiteDirectory).groups);

/**
 * The site directory (`GET /api/sites`): read at each (re)connection, since the server may have
 * restarted with another config, and again when the live state names a site the directory lacks
 * (a config reloaded while connected). Kept shallow: it is replaced, never mutated.
 */
export function useSiteDirectory(connection: Ref<ConnectionStatus>, sites: Ref<readonly SiteView[]>) {
  const directory = shallowRef<SiteDirectory | null>(null);
  let loading = false;

  async function load(): Promise<void> {
    if (loading) return;
    loading = true;
    try {
      const result = await request('/api/sites', isDirectory);
      if (result.status === 'ready') directory.value = result.data;
    } finally {
      loading = false;
    }
  }

  watch(connection, (status) => status === 'live' && void load(), { immediate: true });
  // Asked once per list of sites: a server that does not know a site is not asked again and again.
  let askedFor = '';
  watch(sites, (list) => {
    const known = directory.value && new Set(directory.value.sites.map((s) => s.id));
    if (!known || !list.some((s) => !known.has(s.id))) return;
    const key = list.map((s) => s.id).join(',');
    if (key === askedFor) return;
    askedFor = key;
    void load();
  });
  return { directory };
}
