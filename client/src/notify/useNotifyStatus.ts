import { onScopeDispose, shallowRef } from 'vue';
import type { NotifyOverview } from '@hqwatch/shared';
import { fetchNotify } from '../api/endpoints.ts';
import { NOTIFY_POLL_MS } from './notify.ts';

/**
 * How alerting stands, asked now and every {@link NOTIFY_POLL_MS} while the component lives; null
 * while unknown or when the server has no alerting. `refresh` asks again at once.
 */
export function useNotifyStatus() {
  const overview = shallowRef<NotifyOverview | null>(null);
  let controller: AbortController | null = null;
  async function refresh(): Promise<void> {
    controller?.abort();
    const mine = (controller = new AbortController());
    try {
      const result = await fetchNotify(mine.signal);
      if (mine === controller) overview.value = result.status === 'ready' ? result.data : null;
    } catch {
      // aborted by a newer request
    }
  }
  void refresh();
  const timer = setInterval(() => void refresh(), NOTIFY_POLL_MS);
  onScopeDispose(() => {
    clearInterval(timer);
    controller?.abort();
  });
  return { overview, refresh };
}
