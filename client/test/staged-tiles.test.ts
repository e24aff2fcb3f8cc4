import { describe, expect, it } from 'vitest';
import { stubAnimationFrames } from './animation-frames.ts';
import { effectScope, nextTick, shallowRef } from 'vue';
import type { MapGroup, MapSite } from '../src/wall/site-groups.ts';
import { TILES_PER_FRAME } from '../src/wall/frame-budget.ts';
import { useStagedTiles } from '../src/wall/useStagedTiles.ts';

const { frame, waiting } = stubAnimationFrames();

const tile = (i: number, kind: MapSite['kind']): MapSite => ({ id: `site-${i}`, name: `Site ${i}`, kind, signature: `${kind}:` });
const group = (sites: MapSite[]): MapGroup => ({
  id: 'dvs-1',
  name: 'DVS 1',
  sites,
  users: null,
  telephony: { sites: 0, users: null },
  voicemail: { sites: 0, users: null },
  intersite: { sites: 0, users: null },
});

describe('useStagedTiles: the wall draws a 400-site change a slice of tiles per frame', () => {
  it('draws none in the change’s own task and frame, then at most a slice per frame, until every tile is drawn', async () => {
    const groups = shallowRef([group(Array.from({ length: 500 }, (_, i) => tile(i, 'ok')))]);
    const scope = effectScope();
    const { shown } = scope.run(() => useStagedTiles(groups))!;
    expect(shown.value.size).toBe(500);

    // All distributed servers go down: 400 of the 500 sites lose voicemail.
    groups.value = [group(Array.from({ length: 500 }, (_, i) => tile(i, i < 400 ? 'voicemail' : 'ok')))];
    await nextTick();
    const drawn = () => [...shown.value.values()].filter((s) => s.kind === 'voicemail').length;
    expect(drawn()).toBe(0);
    // The change's own frame draws the rest of the wall; the tiles start on the next one.
    frame();
    expect(drawn()).toBe(0);
    const perFrame: number[] = [];
    while (drawn() < 400) {
      const before = drawn();
      frame();
      perFrame.push(drawn() - before);
      expect(perFrame.length).toBeLessThan(20);
    }
    expect(Math.max(...perFrame)).toBeLessThanOrEqual(TILES_PER_FRAME);
    expect(perFrame).toHaveLength(Math.ceil(400 / TILES_PER_FRAME));
    expect(waiting()).toBe(0);
    scope.stop();
  });

  it('forgets a site that is gone, so no mark or count keeps it', async () => {
    const groups = shallowRef([group([tile(1, 'ok'), tile(2, 'ok')])]);
    const scope = effectScope();
    const { shown } = scope.run(() => useStagedTiles(groups))!;
    groups.value = [group([tile(1, 'ok')])];
    await nextTick();
    expect([...shown.value.keys()]).toEqual(['site-1']);
    scope.stop();
  });
});
