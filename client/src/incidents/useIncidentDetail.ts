import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import type { IncidentDetail } from '@hqwatch/shared';
import { fetchIncident } from './api.ts';

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
  const state = shallowRef<DetailState>({ status: 'loading' });
  let request: AbortController | null = null;

  async function load(keep: boolean): Promise<void> {
    request?.abort();
    const mine = (request = new AbortController());
    if (!keep) state.value = { status: 'loading' };
    let result;
    try {
      result = await fetchIncident(id.value, mine.signal);
    } catch {
      return;
    }
    if (mine !== request) return;
    if (result.ok) state.value = { status: 'ready', detail: result.data };
    else if (result.status === 404 && result.code === 'not_found')
      state.value = {
        status: 'missing',
        message: `There is no incident "${id.value}". It may have been deleted, or the link is mistyped.`,
      };
    else if (!keep || state.value.status !== 'ready')
      state.value = { status: 'error', message: result.status === 404 ? 'History is not available on this server.' : result.message };
  }

  watch(id, () => void load(false), { immediate: true });
  onScopeDispose(() => request?.abort());

  return { state, reload: () => load(true) };
}
