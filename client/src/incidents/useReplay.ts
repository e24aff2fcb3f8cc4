import { computed, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { LiveState } from '@hqwatch/shared';
import type { StateSource } from '../composables/useStateSource.ts';
import { fetchReplay } from './api.ts';
import { atMoment, keepIdentity, stretchOf } from './replay-cache.ts';
import { atParam } from './scrub.ts';

/**
 * The replayed LiveState of one incident at the moment asked for last. One request is in flight at
 * a time and only the latest moment asked for is fetched next, so dragging the scrubber never
 * queues requests; an answer serves every moment of its stretch between two recorded changes.
 */
export function useReplay(incidentId: Ref<string>, points: Ref<readonly number[]>) {
  const state = shallowRef<LiveState | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let cache = new Map<number, LiveState>();
  let wanted: { atMs: number; seq: number } | null = null;
  let seq = 0;
  let generation = 0;
  let inflight: AbortController | null = null;

  function apply(next: LiveState): void {
    state.value = keepIdentity(state.value, next);
    error.value = null;
  }

  async function pump(): Promise<void> {
    const gen = generation;
    while (wanted && gen === generation) {
      const ask = wanted;
      wanted = null;
      inflight = new AbortController();
      loading.value = true;
      let result;
      try {
        result = await fetchReplay(incidentId.value, atParam(ask.atMs), inflight.signal);
      } catch {
        break;
      } finally {
        inflight = null;
        loading.value = false;
      }
      if (gen !== generation) return;
      if (result.ok) {
        cache.set(stretchOf(points.value, ask.atMs), result.data);
        if (ask.seq === seq) apply(result.data);
      } else if (ask.seq === seq) error.value = result.message;
    }
  }

  /** Shows the incident as it was at `atMs`. */
  function show(atMs: number): void {
    const mine = ++seq;
    const cached = cache.get(stretchOf(points.value, atMs));
    if (cached) {
      wanted = null;
      apply(atMoment(cached, atMs));
      return;
    }
    wanted = { atMs, seq: mine };
    if (!inflight) void pump();
  }

  function reset(): void {
    generation += 1;
    inflight?.abort();
    inflight = null;
    wanted = null;
    cache = new Map();
    state.value = null;
    error.value = null;
  }

  watch(incidentId, reset);
  // New change points (a reloaded timeline) may cut stretches differently: answers are asked again.
  watch(points, () => (cache = new Map()));
  onScopeDispose(reset);

  const source: StateSource = {
    state: computed(() => state.value),
    now: computed(() => (state.value ? Date.parse(state.value.at) : 0)),
    offsetMs: computed(() => 0),
    latency: null,
    replay: true,
  };

  return { state, error, loading, show, source };
}
