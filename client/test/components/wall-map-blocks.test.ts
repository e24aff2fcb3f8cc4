import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import { defineComponent, h, nextTick, shallowRef } from 'vue';
import type { ServiceKey, SiteDirectory, SiteView } from '@hqwatch/shared';
import WallSiteMap from '../../src/wall/WallSiteMap.vue';
import WallMapBlock from '../../src/wall/WallMapBlock.vue';
import { groupSites } from '../../src/wall/site-groups.ts';
import { stubAnimationFrames } from '../animation-frames.ts';
import { site } from '../fixtures.ts';

// A 4K wall's map box: the page has no layout here, so its size is given.
vi.mock('../../src/wall/useBoxSize.ts', async () => {
  const { shallowRef: box } = await import('vue');
  return { useBoxSize: () => ({ size: box({ width: 3600, height: 1700 }) }) };
});

const { frame, waiting } = stubAnimationFrames();

/** Five home servers of 40 sites each. */
const HOMES = ['hq', 'dvs-1', 'dvs-2', 'dvs-3', 'dvs-4'];
const directory: SiteDirectory = {
  groups: HOMES.map((id) => ({ id, name: id.toUpperCase() })),
  sites: HOMES.flatMap((home) =>
    Array.from({ length: 40 }, (_, i) => ({ id: `${home}-${i}`, name: `${home} site ${i}`, home, voicemail: home })),
  ),
};
const sitesWith = (lost: Record<string, ServiceKey[]> = {}): SiteView[] =>
  directory.sites.map((s) => site(s.id, lost[s.id] ?? [], { name: s.name }));

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

/** Draws every frame the map asks for until it asks for none. */
async function drawAll(): Promise<void> {
  await nextTick();
  for (let i = 0; i < 100 && waiting() > 0; i++) {
    frame();
    await nextTick();
  }
  expect(waiting()).toBe(0);
}

describe('WallSiteMap: a change re-renders the blocks it touches, not the whole map', () => {
  it('redraws only the block of the one site that lost telephony', async () => {
    const groups = shallowRef(groupSites(sitesWith(), directory));
    const updates = new Map<string, number>();
    const Host = defineComponent({ setup: () => () => h(WallSiteMap, { groups: groups.value }) });
    wrapper = mount(Host, {
      attachTo: document.body,
      global: {
        plugins: [createPinia()],
        mixins: [
          {
            updated(this: { $options: { name?: string; __name?: string }; $props: { group?: string } }) {
              if (this.$options.__name === WallMapBlock.__name) updates.set(this.$props.group!, (updates.get(this.$props.group!) ?? 0) + 1);
            },
          },
        ],
      },
    });
    await drawAll();
    expect(wrapper.findAll('.tile')).toHaveLength(200);
    updates.clear();

    groups.value = groupSites(sitesWith({ 'dvs-2-7': ['telephony'] }), directory);
    await drawAll();

    expect(wrapper.find('[data-site="dvs-2-7"]').attributes('data-kind')).toBe('telephony');
    expect(wrapper.find('[data-site="dvs-2-7"]').attributes('data-changed')).toBe('true');
    // The changed site's block re-rendered; the four others did not.
    expect([...updates.keys()]).toEqual(['dvs-2']);
  });
});
