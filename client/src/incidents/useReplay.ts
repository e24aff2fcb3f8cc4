import { computed, onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { LiveState } from '@hqwatch/shared';
import type { StateSource } from '../state/useStateSource.ts';
import { fetchReplay } from '../api/endpoints.ts';
import { singleFlight } from '../api/request.ts';
import { atMoment, createInterner, keepIdentity, stretchOf, stretchesAround } from './replay-cache.ts';
import { atParam } from './scrub.ts';

/** Stretches fetched ahead on each side of the one shown. */
const AHEAD = 4;
/**
 * Fetching ahead waits until the moment has stayed put this long: while the scrubber moves, parsing
 * answers nobody asked for would only slow down the ones asked for.
 */
const AHEAD_AFTER_MS = 250;

/**
 * The replayed LiveState of one incident at the moment asked for last. One request is in flight at
 * a time: the latest moment asked for goes first, and only it (dragging the scrubber never queues
 * requests); once the moment stays put, the stretches around it are fetched ahead. An answer
 * serves every moment of its stretch between two recorded changes.
 */
export function useReplay(incidentId: Ref<string>, points: Ref<readonly number[]>) {
  const state = shallowRef<LiveState | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  let cache = new Map<number, LiveState>();
  let intern = createInterner();
  let wanted: { atMs: number; seq: number } | null = null;
  let ahead: number[] = [];
  let seq = 0;
  let generation = 0;
  const flight = singleFlight();
  /** Whether the request in flight only fetches ahead (and may give way to one asked for). */
  let inflightAhead = false;
  let aheadTimer: ReturnType<typeof setTimeout> | undefined;

  function apply(next: LiveState): void {
    state.value = keepIdentity(state.value, next);
    error.value = null;
  }

  /** The next request: the moment asked for, else a stretch ahead not fetched yet. */
  function next(): { atMs: number; seq: number | null } | null {
    if (wanted) {
      const ask = wanted;
      wanted = null;
      return ask;
    }
    for (let k = ahead.shift(); k !== undefined; k = ahead.shift()) if (!cache.has(k)) return { atMs: points.value[k - 1]!, seq: null };
    return null;
  }

  async function pump(): Promise<void> {
    const gen = generation;
    while (gen === generation) {
      const ask = next();
      if (!ask) return;
      inflightAhead = ask.seq === null;
      loading.value = !inflightAhead;
      const answer = await flight.run((signal) => fetchReplay(incidentId.value, atParam(ask.atMs), signal));
      // Aborted, by a reset or to let a moment asked for go first: whoever aborted pumps again.
      if (!answer || gen !== generation) return;
      loading.value = false;
      const result = answer.value;
      if (result.status === 'ready') {
        const interned = intern(result.data);
        cache.set(stretchOf(points.value, ask.atMs), interned);
        if (ask.seq === seq) apply(interned);
      } else if (ask.seq === seq) error.value = result.message;
    }
  }

  /** Shows the incident as it was at `atMs`. */
  function show(atMs: number): void {
    const mine = ++seq;
    const stretch = stretchOf(points.value, atMs);
    ahead = [];
    if (flight.busy() && inflightAhead) flight.abort();
    clearTimeout(aheadTimer);
    aheadTimer = setTimeout(() => {
      ahead = stretchesAround(stretch, points.value.length, AHEAD);
      if (!flight.busy()) void pump();
    }, AHEAD_AFTER_MS);
    const cached = cache.get(stretch);
    if (cached) {
      wanted = null;
      apply(atMoment(cached, atMs));
    } else {
      wanted = { atMs, seq: mine };
      if (!flight.busy()) void pump();
    }
  }

  function reset(): void {
    generation += 1;
    clearTimeout(aheadTimer);
    flight.abort();
    loading.value = false;
    wanted = null;
    ahead = [];
    cache = new Map();
    intern = createInterner();
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
