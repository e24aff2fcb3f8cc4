import { afterEach, describe, expect, it } from 'vitest';
import { flushPromises, type VueWrapper } from '@vue/test-utils';
import HqBanner from '../../src/live/HqBanner.vue';
import { MIN, T0, failingOver, hq, liveState, site } from '../fixtures.ts';
import { mountWithState } from './mount-with-state.ts';

let mounted: VueWrapper | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

function banner(options: Parameters<typeof mountWithState>[1]) {
  const harness = mountWithState(HqBanner, options);
  mounted = harness.wrapper;
  return harness;
}

const text = (wrapper: VueWrapper, selector: string) => wrapper.find(selector).text().replace(/\s+/g, ' ');

describe('HqBanner', () => {
  it('shows nothing while the primary is active', () => {
    const { wrapper } = banner({ state: liveState(), nowMs: T0 });
    expect(wrapper.find('[data-testid="banner"]').exists()).toBe(false);
    expect(wrapper.find('[role="alert"]').text()).toBe('');
  });

  it('tells a failover, its elapsed time against the expected range, and ticks with the clock', async () => {
    const { wrapper, tick } = banner({ state: failingOver(T0), nowMs: T0 + 7 * MIN + 12_000 });
    const section = wrapper.find('[data-testid="banner"]');
    expect(section.attributes('data-kind')).toBe('failover');
    expect(text(wrapper, '.line')).toContain('Failover in progress — 07:12 elapsed — typically 5–20 min');
    tick(T0 + 7 * MIN + 13_000);
    await flushPromises();
    expect(wrapper.find('[data-testid="banner-elapsed"]').text()).toBe('07:13');
  });

  it('lists what each group of sites lost, with users where they are known', () => {
    const state = failingOver(T0, {
      impact: {
        sitesImpacted: 3,
        telephony: { sites: 1, users: 400 },
        voicemail: { sites: 3, users: null },
        drsIntersite: { sites: 0, users: null },
        globalServicesDown: true,
      },
    });
    const { wrapper } = banner({ state, nowMs: T0 });
    expect(wrapper.findAll('.losses li').map((li) => li.text().replace(/\s+/g, ' '))).toEqual([
      'Call Manager telephony & video lost: 1 site, 400 users',
      'Voicemail lost: 3 sites',
      'Config changes, account codes and workgroups unavailable everywhere',
    ]);
  });

  it('becomes the overrun alarm once the window passes its maximum', async () => {
    const { wrapper, tick } = banner({ state: failingOver(T0), nowMs: T0 + 20 * MIN });
    expect(wrapper.find('[data-testid="banner"]').classes()).not.toContain('overrun');
    tick(T0 + 20 * MIN + 1000);
    await flushPromises();
    const section = wrapper.find('[data-testid="banner"]');
    expect(section.attributes('data-kind')).toBe('overrun');
    expect(section.classes()).toContain('overrun');
  });

  it('gives the secondary IP for Call Manager while the secondary is HQ', () => {
    const state = liveState({
      hq: hq({ state: 'secondary-active', activeAddress: '10.2.0.10' }),
      sites: [site('hq', [], { callManagerAddress: '10.2.0.10' })],
    });
    const { wrapper } = banner({ state, nowMs: T0 });
    expect(wrapper.find('[data-testid="banner"]').attributes('data-kind')).toBe('secondary-active');
    expect(wrapper.find('[data-testid="callmanager-address"]').text()).toBe('10.2.0.10');
  });

  it('announces the headline to screen readers live, never for a replayed moment', () => {
    const live = banner({ state: failingOver(T0), nowMs: T0 });
    expect(live.wrapper.find('[role="alert"]').text()).toBe('Failover in progress');
    live.wrapper.unmount();
    const replayed = banner({ state: failingOver(T0), nowMs: T0, replay: true });
    expect(replayed.wrapper.find('[data-testid="banner"]').exists()).toBe(true);
    expect(replayed.wrapper.find('[role="alert"]').text()).toBe('');
  });
});
