import { computed, watch, type Ref } from 'vue';
import type { IncidentDetail } from '@hqwatch/shared';
import { fetchIncident } from '../api/endpoints.ts';
import { asHistory, useRequest } from '../api/request.ts';

export type DetailState =
  | { status: 'loading' }
  | { status: 'ready'; detail: IncidentDetail }
  | { status: 'missing'; message: string }
  | { status: 'error'; message: string };

/**
 * One incident's detail, loaded whenever the id changes; `reload` refreshes it in place (the page
 * keeps showing the previous detail meanwhile). The payload sits in a shallow ref: thousands of
 * timeline entries never become reactive proxies.
 */
export function useIncidentDetail(id: Ref<string>) {
  const detail = useRequest<IncidentDetail>();
  const load = (refresh: boolean) => detail.load((signal) => fetchIncident(id.value, signal), { refresh });

  const state = computed<DetailState>(() => {
    const loaded = detail.state.value;
    if (loaded.status === 'ready') return { status: 'ready', detail: loaded.data };
    if (loaded.status !== 'failed') return { status: 'loading' };
    if (loaded.httpStatus === 404 && loaded.code === 'not_found')
      return { status: 'missing', message: `There is no incident "${id.value}". It may have been deleted, or the link is mistyped.` };
    return { status: 'error', message: asHistory(loaded).message };
  });

  watch(id, () => void load(false), { immediate: true });

  return { state, reload: () => load(true) };
}
