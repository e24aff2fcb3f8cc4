import { watch } from 'vue';
import { storeToRefs } from 'pinia';
import type { HqView } from '@hqwatch/shared';
import { useLiveStore } from '../stores/live.ts';
import { usePreferencesStore } from '../stores/preferences.ts';
import { alertsBetween } from '../live/alerts.ts';
import { showNotification } from '../notify/notifications.ts';
import { playAlertSound } from '../notify/sound.ts';

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
