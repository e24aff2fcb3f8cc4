import { defineStore } from 'pinia';
import { onScopeDispose, ref } from 'vue';

/**
 * One clock for every ticking figure (window elapsed, "since", staleness), ticking on the second
 * so all of them change together and none drifts.
 */
export const useClockStore = defineStore('clock', () => {
  const now = ref(Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;

  function tick(): void {
    now.value = Date.now();
    timer = setTimeout(tick, 1000 - (now.value % 1000) + 5);
  }
  tick();
  onScopeDispose(() => clearTimeout(timer));

  return { now };
});
