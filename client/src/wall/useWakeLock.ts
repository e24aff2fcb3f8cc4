import { onMounted, onScopeDispose, ref } from 'vue';

/**
 * Keeps the screen on while the component lives (Screen Wake Lock). The browser releases the lock
 * whenever the page is hidden, so it is taken again each time the page becomes visible.
 */
export function useWakeLock() {
  const held = ref(false);
  let sentinel: WakeLockSentinel | null = null;
  let disposed = false;

  async function acquire(): Promise<void> {
    if (disposed || document.visibilityState !== 'visible' || !('wakeLock' in navigator)) return;
    try {
      sentinel = await navigator.wakeLock.request('screen');
      held.value = true;
      sentinel.addEventListener('release', () => (held.value = false), { once: true });
    } catch {
      // Refused (no permission, battery saver): the wall still works, the screen may sleep.
      held.value = false;
    }
  }

  function onVisibility(): void {
    if (document.visibilityState === 'visible' && !held.value) void acquire();
  }

  onMounted(() => {
    void acquire();
    document.addEventListener('visibilitychange', onVisibility);
  });
  onScopeDispose(() => {
    disposed = true;
    document.removeEventListener('visibilitychange', onVisibility);
    void sentinel?.release();
  });

  return { held };
}
