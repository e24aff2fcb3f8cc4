import { computed, inject, provide, type ComputedRef, type InjectionKey } from 'vue';
import type { LiveState } from '@hqwatch/shared';
import type { LatencyHistory } from './latency.ts';
import { useClockStore } from './clock.store.ts';
import { useLiveStore } from './live.store.ts';

/**
 * Where the dashboard components (banner, HQ card, servers, site matrix) take the state they show
 * from: the live store by default, or a replayed moment of an incident provided by a parent.
 */
export interface StateSource {
  state: ComputedRef<LiveState | null>;
  /** The moment the figures tick against (client clock, ms). */
  now: ComputedRef<number>;
  /** Server clock minus client clock. */
  offsetMs: ComputedRef<number>;
  /** Probe latency history, when the source keeps one; `version` changes whenever it gets samples. */
  latency: { history: LatencyHistory; version: ComputedRef<number> } | null;
  /** A past moment: nothing is announced as if it were happening now. */
  replay: boolean;
}

const STATE_SOURCE: InjectionKey<StateSource> = Symbol('state-source');

/** Makes every dashboard component below the caller show `source` instead of the live state. */
export function provideStateSource(source: StateSource): void {
  provide(STATE_SOURCE, source);
}

function liveSource(): StateSource {
  const live = useLiveStore();
  const clock = useClockStore();
  return {
    state: computed(() => live.state),
    now: computed(() => clock.now),
    offsetMs: computed(() => live.offsetMs),
    latency: { history: live.latency, version: computed(() => live.latencyVersion) },
    replay: false,
  };
}

/** The provided state source, or the live one. Call during setup. */
export function useStateSource(): StateSource {
  return inject(STATE_SOURCE, null) ?? liveSource();
}
