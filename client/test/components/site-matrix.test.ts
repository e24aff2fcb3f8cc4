import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import SiteMatrix from '../../src/sites/SiteMatrix.vue';
import { CALL_MANAGER_NOTE } from '../../src/ui/status.ts';
import { T0, liveState, site } from '../fixtures.ts';
import { mountWithState } from './mount-with-state.ts';

let mounted: VueWrapper | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

/** Three sites: Boston lost telephony and voicemail, Austin voicemail, Chicago nothing. */
const state = liveState({
  sites: [site('chicago'), site('austin', ['voicemail']), site('boston', ['telephony', 'voicemail'])],
});

function matrix(props: object = {}) {
  const harness = mountWithState(SiteMatrix, { state, nowMs: T0, props });
  mounted = harness.wrapper;
  return harness;
}

const shownSites = (wrapper: VueWrapper) => wrapper.findAll('[role="rowgroup"] [data-site]').map((row) => row.attributes('data-site'));
const counts = (wrapper: VueWrapper) => wrapper.find('.counts').text().replace(/\s+/g, ' ');

describe('SiteMatrix', () => {
  it('puts the most impacted sites first and says each status in words', () => {
    const { wrapper } = matrix();
    expect(shownSites(wrapper)).toEqual(['boston', 'austin', 'chicago']);
    const cell = wrapper.find('[data-testid="site-cell-boston-telephony"]');
    expect(cell.attributes('data-status')).toBe('down');
    expect(cell.find('.word').text()).not.toBe('');
    expect(counts(wrapper)).toBe('3 sites · 2 impacted');
  });

  it('shows only impacted sites when asked, and says so when there are none', async () => {
    const { wrapper, show } = matrix();
    await wrapper.find('.toggle input').setValue(true);
    expect(shownSites(wrapper)).toEqual(['boston', 'austin']);
    expect(counts(wrapper)).toBe('2 of 3 sites · 2 impacted');
    show(liveState({ sites: [site('chicago'), site('denver')] }));
    await flushPromises();
    expect(wrapper.find('.matrix-empty').text().replace(/\s+/g, ' ')).toContain('All 2 sites have every service.');
  });

  it('filters by name', async () => {
    const { wrapper } = matrix();
    await wrapper.find('input[type="search"]').setValue('aus');
    expect(shownSites(wrapper)).toEqual(['austin']);
    await wrapper.find('input[type="search"]').setValue('zzz');
    expect(wrapper.find('.matrix-empty').text()).toBe('No site matches the filter.');
  });

  it('sorts by a column header, and says which way', async () => {
    const { wrapper } = matrix();
    const nameHeader = wrapper.find('[role="columnheader"]');
    await nameHeader.find('button').trigger('click');
    expect(shownSites(wrapper)).toEqual(['austin', 'boston', 'chicago']);
    expect(nameHeader.attributes('aria-sort')).toBe('ascending');
    await nameHeader.find('button').trigger('click');
    expect(shownSites(wrapper)).toEqual(['chicago', 'boston', 'austin']);
    expect(nameHeader.attributes('aria-sort')).toBe('descending');
  });

  it('explains the cell under the keyboard cursor in its tooltip', async () => {
    const { wrapper } = matrix();
    const grid = wrapper.find('[role="grid"]');
    await grid.trigger('focus');
    await flushPromises();
    expect(grid.attributes('aria-activedescendant')).toBe('cell-boston-telephony');
    const tooltip = wrapper.find('[role="tooltip"]');
    expect(tooltip.text()).toContain('Boston · Call Manager telephony');
    expect(tooltip.text()).toContain('telephony of boston is down');

    await grid.trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();
    expect(grid.attributes('aria-activedescendant')).toBe('cell-austin-telephony');
    expect(wrapper.find('#cell-austin-telephony').attributes('aria-describedby')).toBe(tooltip.attributes('id'));
  });

  it('says in the telephony tooltip that it is Call Manager telephony, not the desk phones', async () => {
    const { wrapper } = matrix();
    const grid = wrapper.find('[role="grid"]');
    await grid.trigger('focus');
    await flushPromises();
    expect(grid.attributes('aria-activedescendant')).toBe('cell-boston-telephony');
    const tooltip = wrapper.find('[role="tooltip"]');
    expect(tooltip.find('.note').text()).toBe(CALL_MANAGER_NOTE);
    expect(tooltip.text()).toContain('Desk phones controlled by the voice switches are another matter');
    // Video is Call Manager's too; IM (the next column) is not: no such note beside it.
    await grid.trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(grid.attributes('aria-activedescendant')).toBe('cell-boston-video');
    expect(tooltip.find('.note').text()).toBe(CALL_MANAGER_NOTE);
    await grid.trigger('keydown', { key: 'ArrowRight' });
    await flushPromises();
    expect(grid.attributes('aria-activedescendant')).toBe('cell-boston-im');
    expect(tooltip.text()).toContain('Boston · IM');
    expect(tooltip.find('.note').exists()).toBe(false);
    expect(tooltip.text()).not.toContain('Desk phones');
  });

  it('follows the state as it changes', async () => {
    const { wrapper, show } = matrix();
    show(liveState({ sites: [site('chicago', ['telephony']), site('austin'), site('boston')] }));
    await flushPromises();
    expect(shownSites(wrapper)[0]).toBe('chicago');
    expect(counts(wrapper)).toBe('3 sites · 1 impacted');
  });
});
