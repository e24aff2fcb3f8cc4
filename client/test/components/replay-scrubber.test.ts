import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia } from 'pinia';
import ReplayScrubber from '../../src/incidents/components/ReplayScrubber.vue';
import type { PlaySpeed } from '../../src/incidents/scrub.ts';
import { PREFERENCES_KEY } from '../../src/settings/preferences.ts';
import type { WindowBand } from '../../src/incidents/timeline-rows.ts';
import { MIN, T0 } from '../fixtures.ts';

/** A 40-minute incident with one 20-minute failover window from minute 10, and three recorded changes. */
const span = { startMs: T0, endMs: T0 + 40 * MIN };
const windows: WindowBand[] = [{ fromMs: T0 + 10 * MIN, toMs: T0 + 30 * MIN, kind: 'failover', overrun: true }];
const points = [T0, T0 + 10 * MIN, T0 + 30 * MIN];

let mounted: VueWrapper | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
  localStorage.clear();
});

function scrubber(atMs: number, extra: { playing?: boolean; speed?: PlaySpeed } = {}) {
  // Times in UTC, so that the words do not depend on the machine's zone.
  localStorage.setItem(PREFERENCES_KEY, JSON.stringify({ utc: true }));
  mounted = mount(ReplayScrubber, {
    props: { span, atMs, playing: extra.playing ?? false, speed: extra.speed ?? 1, windows, points },
    global: { plugins: [createPinia()] },
  });
  return mounted;
}

const seeks = (wrapper: VueWrapper) => (wrapper.emitted('seek') ?? []).map(([ms]) => ((ms as number) - T0) / MIN);

describe('ReplayScrubber', () => {
  it('puts the moment on the track and says it in words', () => {
    const wrapper = scrubber(T0 + 15 * MIN);
    const range = wrapper.find('input[type="range"]');
    expect(range.attributes('max')).toBe(String(40 * MIN));
    expect((range.element as HTMLInputElement).value).toBe(String(15 * MIN));
    expect(wrapper.find('[data-testid="replay-time"]').attributes('data-at')).toBe('2026-11-25T10:15:00.000Z');
    expect(range.attributes('aria-valuetext')).toBe('2026-11-25 10:15:00 UTC');
    expect(wrapper.find('.offset').text()).toBe('+15:00 of 40:00');
  });

  it('seeks where the track is dragged to', async () => {
    const wrapper = scrubber(T0);
    await wrapper.find('input[type="range"]').setValue(String(25 * MIN));
    expect(seeks(wrapper)).toEqual([25]);
  });

  it('steps a twentieth of the incident with Page Up and Page Down', async () => {
    const wrapper = scrubber(T0 + 20 * MIN);
    const range = wrapper.find('input[type="range"]');
    await range.trigger('keydown', { key: 'PageUp' });
    await range.trigger('keydown', { key: 'PageDown' });
    expect(seeks(wrapper)).toEqual([22, 18]);
  });

  it('jumps from one recorded change to the next, and to the ends past the last', async () => {
    const wrapper = scrubber(T0 + 15 * MIN);
    const [previous, next] = wrapper.findAll('button').filter((b) => /change/.test(b.text()));
    await next!.trigger('click');
    await previous!.trigger('click');
    expect(seeks(wrapper)).toEqual([30, 10]);
    await wrapper.setProps({ atMs: T0 + 30 * MIN });
    await next!.trigger('click');
    expect(seeks(wrapper).at(-1)).toBe(40);
  });

  it('marks each window on the track, overrun ones apart', () => {
    const mark = scrubber(T0).find('.mark');
    expect(mark.attributes('style')).toContain('left: 25%');
    expect(mark.attributes('style')).toContain('width: 50%');
    expect(mark.classes()).toContain('overrun');
  });

  it('plays, pauses and changes speed through its buttons, showing which is on', async () => {
    const wrapper = scrubber(T0, { playing: true, speed: 10 });
    const play = wrapper.find('[data-testid="replay-play"]');
    expect(play.attributes('aria-pressed')).toBe('true');
    expect(play.text()).toContain('Pause');
    expect(wrapper.find('[data-testid="replay-speed-10"]').attributes('aria-pressed')).toBe('true');
    await play.trigger('click');
    await wrapper.find('[data-testid="replay-speed-60"]').trigger('click');
    expect(wrapper.emitted('toggle')).toHaveLength(1);
    expect(wrapper.emitted('speed')).toEqual([[60]]);
  });
});
