import { storeToRefs } from 'pinia';
import { usePreferencesStore } from '../settings/preferences.store.ts';
import { formatClock, formatDateTime, zoneLabel } from './format.ts';

/** Time formatters bound to the viewer's UTC preference. */
export function useTimeFormat() {
  const { utc } = storeToRefs(usePreferencesStore());
  return {
    utc,
    clock: (time: string | number | null) => formatClock(time, utc.value),
    dateTime: (time: string | number | null) => formatDateTime(time, utc.value),
    zone: () => zoneLabel(utc.value),
  };
}
