import { computed, type Ref } from 'vue';
import { composePostmortem, type IncidentDetail, type Postmortem } from '@hqwatch/shared';
import { useTimeFormat } from '../ui/useTimeFormat.ts';

/** The reader's IANA zone, or UTC when they asked for UTC times (the header's toggle). */
export function readerZone(utc: boolean): string {
  if (utc) return 'UTC';
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The postmortem of the incident shown, composed by the same shared code as the Markdown export
 * (so the header and the file say the same thing), in the reader's zone with UTC beside. Vue
 * interpolates text, so nothing is escaped here.
 */
export function usePostmortem(detail: Ref<IncidentDetail | null>) {
  const time = useTimeFormat();
  const zone = computed(() => readerZone(time.utc.value));
  const postmortem = computed<Postmortem | null>(() => (detail.value ? composePostmortem(detail.value, { zone: zone.value }) : null));
  return { postmortem, zone };
}
