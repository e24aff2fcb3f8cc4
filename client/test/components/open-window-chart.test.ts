import { afterEach, describe, expect, it } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import type { HqWindow } from '@hqwatch/shared';
import OpenWindowChart from '../../src/live/OpenWindowChart.vue';
import { MIN, failingOver, iso } from '../fixtures.ts';
import { mountWithState } from './mount-with-state.ts';

let mounted: VueWrapper | undefined;
afterEach(() => {
  mounted?.unmount();
  mounted = undefined;
});

/** The chart of an open window, mounted as the live view shows it (its elapsed time runs on the real clock). */
function chart(window: HqWindow) {
  const harness = mountWithState(OpenWindowChart, {
    state: failingOver(Date.parse(window.startedAt)),
    nowMs: Date.now(),
    props: { window },
  });
  mounted = harness.wrapper;
  return harness.wrapper;
}

const text = (wrapper: VueWrapper) => wrapper.text().replace(/\s+/g, ' ');

function openWindow(kind: HqWindow['kind'], elapsedMs: number, extra: Partial<HqWindow> = {}): HqWindow {
  return {
    kind,
    startedAt: iso(Date.now() - elapsedMs),
    elapsedMs,
    expectedMinMs: 5 * MIN,
    expectedMaxMs: 20 * MIN,
    overrun: false,
    ...extra,
  };
}

describe('OpenWindowChart', () => {
  it("reads a failover against this installation's past failovers: usually done in ~6–9 min, based on 12", () => {
    const wrapper = chart(
      openWindow('failover', 7 * MIN, { estimate: { basis: 'history', lowMs: 6 * MIN, highMs: 9 * MIN, medianMs: 7 * MIN, count: 12 } }),
    );
    expect(wrapper.find('[data-testid="window-estimate"]').text()).toBe('usually done in ~6–9 min, based on 12 past failovers');
    expect(text(wrapper)).toContain('Open window against how long it usually takes');
    expect(text(wrapper)).toContain('within the usual range');
  });

  it("says the vendor's range when there is too little history", () => {
    const wrapper = chart(
      openWindow('failback', 2 * MIN, { estimate: { basis: 'vendor', lowMs: 5 * MIN, highMs: 20 * MIN, medianMs: null, count: 1 } }),
    );
    expect(wrapper.find('[data-testid="window-estimate"]').text()).toBe('typically 5–20 min');
    expect(text(wrapper)).toContain('before the usual minimum');
  });

  it('gives an outage no estimate: it has no expected length', () => {
    const wrapper = chart(openWindow('outage', 3 * MIN));
    expect(wrapper.find('[data-testid="window-estimate"]').exists()).toBe(false);
    expect(text(wrapper)).toContain('Open HQ outage');
    expect(text(wrapper)).toContain('an HQ outage: no expected length');
    expect(text(wrapper)).not.toMatch(/usually|typically/);
  });
});
