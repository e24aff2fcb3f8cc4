import { onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import type { IncidentDetail } from '@hqwatch/shared';
import { usePlayback } from './usePlayback.ts';
import { atParam, clampTime, defaultMoment, parseAtParam, type Span } from './scrub.ts';

/** How often, at most, the URL follows the scrubber while it moves. */
const URL_EVERY_MS = 250;

/**
 * The replayed moment of the incident page, kept in step with the `at` of the URL both ways: a
 * deep link opens that moment, scrubbing and playback rewrite the link (replacing the history entry,
 * so Back leaves the page rather than stepping through every frame). A link whose `at` is not a
 * time or lies outside the incident leaves a notice and opens the default moment.
 */
export function useMoment(
  detail: ComputedRef<IncidentDetail | null>,
  span: ComputedRef<Span>,
  utc: Ref<boolean>,
  show: (atMs: number) => void,
) {
  const route = useRoute();
  const router = useRouter();
  const atMs = ref(0);
  const notice = ref<string | null>(null);
  let written: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function writeUrl(): void {
    timer = undefined;
    const at = atParam(atMs.value);
    if (route.query.at === at) return;
    written = at;
    void router.replace({ query: { ...route.query, at } });
  }

  function moveTo(ms: number): void {
    atMs.value = clampTime(ms, span.value);
    show(atMs.value);
    timer ??= setTimeout(writeUrl, URL_EVERY_MS);
  }

  /** A move asked for by the viewer: any notice about the link is then out of date. */
  function seek(ms: number): void {
    notice.value = null;
    moveTo(ms);
  }

  function openFromUrl(d: IncidentDetail): void {
    const parsed = parseAtParam(route.query.at, span.value, utc.value);
    notice.value = parsed.kind === 'invalid' || parsed.kind === 'outside' ? parsed.message : null;
    atMs.value = parsed.kind === 'ok' ? parsed.ms : defaultMoment(d.incident, span.value);
    show(atMs.value);
  }

  watch(
    detail,
    (d, old) => {
      if (d && (!old || old.incident.id !== d.incident.id)) openFromUrl(d);
    },
    { immediate: true },
  );

  // Back, Forward or a link to another moment of the same incident.
  watch(
    () => route.query.at,
    (at) => {
      if (at === written || !detail.value) return;
      openFromUrl(detail.value);
    },
  );

  const playback = usePlayback(atMs, span, moveTo);

  onScopeDispose(() => clearTimeout(timer));

  return { atMs, notice, seek, playback };
}
