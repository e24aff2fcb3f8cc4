import { computed, type ComputedRef } from 'vue';
import { useLiveStore } from './live.store.ts';
import { useClockStore } from './clock.store.ts';
import { staleSince } from './stale.ts';

export interface FreshnessView {
  /** Client time (ms) since which the data is stale, or null while fresh. */
  staleSince: ComputedRef<number | null>;
  /** No state has arrived yet: nothing on screen to be stale. */
  waiting: ComputedRef<boolean>;
}

/** Whether what is on screen can be trusted: the socket is up and updates keep coming. */
export function useFreshness(): FreshnessView {
  const live = useLiveStore();
  const clock = useClockStore();
  return {
    staleSince: computed(() =>
      staleSince({ connected: live.connection === 'live', lastUpdateAt: live.lastUpdateAt, intervalMs: live.intervalMs }, clock.now),
    ),
    waiting: computed(() => live.state === null),
  };
}
