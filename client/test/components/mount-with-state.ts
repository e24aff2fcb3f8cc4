import { mount } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { computed, defineComponent, h, shallowRef, type Component } from 'vue';
import type { LiveState } from '@hqwatch/shared';
import { provideStateSource } from '../../src/state/useStateSource.ts';

/**
 * Mounts a dashboard component under a state source the test drives, as the live view or a replayed
 * incident provides one: `show` changes the state and `tick` the clock, and the component follows.
 */
export function mountWithState(
  component: Component,
  options: { state: LiveState | null; nowMs: number; replay?: boolean; props?: object },
) {
  const state = shallowRef(options.state);
  const now = shallowRef(options.nowMs);
  const Host = defineComponent({
    setup() {
      provideStateSource({
        state: computed(() => state.value),
        now: computed(() => now.value),
        offsetMs: computed(() => 0),
        latency: null,
        replay: options.replay ?? false,
      });
      return () => h(component, options.props ?? {});
    },
  });
  const wrapper = mount(Host, { attachTo: document.body, global: { plugins: [createPinia()] } });
  return {
    wrapper,
    show: (next: LiveState | null) => (state.value = next),
    tick: (nowMs: number) => (now.value = nowMs),
  };
}
