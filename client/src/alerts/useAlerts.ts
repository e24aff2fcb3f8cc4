import { watch } from 'vue';
import { storeToRefs } from 'pinia';
import type { HqView } from '@hqwatch/shared';
import { useLiveStore } from '../state/live.store.ts';
import { usePreferencesStore } from '../settings/preferences.store.ts';
import { alertsBetween } from './alerts.ts';
import { showNotification } from './notifications.ts';
import { playAlertSound } from './sound.ts';

/**
 * Tells the viewer, if they opted in, when a window opens or closes, overruns, or HQ splits:
 * a browser notification and/or a short tone. Stops with the calling component.
 */
export function useAlerts(): void {
  const live = useLiveStore();
  const { notifications, sound } = storeToRefs(usePreferencesStore());
  let previous: HqView | null = null;

  watch(
    () => live.state?.hq ?? null,
    (hq) => {
      if (!hq) return;
      const alerts = alertsBetween(previous, hq);
      previous = hq;
      for (const alert of alerts) {
        if (notifications.value) showNotification(alert);
        if (sound.value) playAlertSound(alert.kind);
      }
    },
    { immediate: true },
  );
}
