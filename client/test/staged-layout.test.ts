import { describe, expect, it } from 'vitest';
import { stubAnimationFrames } from './animation-frames.ts';
import { effectScope, nextTick, ref, shallowRef } from 'vue';
import { frameBudget, TILES_PER_FRAME } from '../src/wall/frame-budget.ts';
import type { MapBlock, MapLayout } from '../src/wall/map-layout.ts';
import { useStagedLayout } from '../src/wall/useStagedLayout.ts';

const { frame, waiting } = stubAnimationFrames();

/** Groups of `counts` tiles, one block each, in a layout at `font` px. */
function layoutOf(font: number, counts: Record<string, number>): { layout: MapLayout; blocks: MapBlock[] } {
  let y = 0;
  const blocks = Object.entries(counts).map(([group, count]) => {
    const block: MapBlock = { group, from: 0, to: count, cols: 5, x: 0, y, width: 100, continued: false };
    y += font * 10;
    return block;
  });
  return { layout: { font, widthEm: 4.6, tile: { width: font * 4.6, height: font * 1.5, gap: 2 }, header: font, pages: [blocks] }, blocks };
}

const LARGEST = { hq: 100, ...Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`dvs-${i + 2}`, 25])) };

describe('useStagedLayout: a new layout of the map is applied a few groups per frame', () => {
  it('draws the first layout at once; a new one none in its own task and frame, then whole groups within the budget per frame', async () => {
    const first = layoutOf(30, LARGEST);
    const layout = shallowRef<MapLayout | null>(first.layout);
    const scope = effectScope();
    const { shown, staging } = scope.run(() => useStagedLayout(layout, ref(0)))!;
    expect(staging.value).toBe(false);
    expect(shown.value.map((d) => d.layout.font)).toEqual(first.blocks.map(() => 30));

    // The banner opens: the box is smaller, every tile smaller.
    const next = layoutOf(24, LARGEST);
    layout.value = next.layout;
    await nextTick();
    const newTiles = () => shown.value.filter((d) => d.layout.font === 24).reduce((n, d) => n + d.block.to - d.block.from, 0);
    expect(newTiles()).toBe(0);
    expect(staging.value).toBe(true);
    frame(); // the change's own frame draws the banner
    expect(newTiles()).toBe(0);
    const perFrame: number[] = [];
    while (newTiles() < 500) {
      const before = newTiles();
      frame();
      perFrame.push(newTiles() - before);
      // Every group is drawn once, whole, in one layout or the other.
      expect(new Set(shown.value.map((d) => d.block.group)).size).toBe(shown.value.length);
      expect(shown.value).toHaveLength(17);
      expect(perFrame.length).toBeLessThan(20);
    }
    // The 100-tile HQ group goes whole, alone in its frame; the others fill the budget, whole groups each.
    expect(perFrame[0]).toBe(100);
    for (const n of perFrame.slice(1)) expect(n).toBe(25 * Math.floor(TILES_PER_FRAME / 25));
    expect(shown.value.map((d) => d.style['--f'])).toEqual(next.blocks.map(() => '24px'));
    expect(staging.value).toBe(false);
    expect(waiting()).toBe(0);
    scope.stop();
  });

  it('turns a page: the groups that left go with the first slice, the newcomers come a slice at a time, the page drawn turns last', async () => {
    const page1 = layoutOf(20, { a: 60, b: 60 });
    const page2 = layoutOf(20, { c: 60, d: 60 });
    const layout = shallowRef<MapLayout | null>({ ...page1.layout, pages: [page1.blocks, page2.blocks] });
    const page = ref(0);
    const scope = effectScope();
    const staged = scope.run(() => useStagedLayout(layout, page))!;
    expect(staged.page.value).toEqual({ page: 0, of: 2 });
    page.value = 1;
    await nextTick();
    frame();
    expect(staged.shown.value.map((d) => d.block.group)).toEqual(['a', 'b']);
    frame();
    expect(staged.shown.value.map((d) => d.block.group)).toEqual(['c']);
    expect(staged.page.value.page).toBe(0);
    frame();
    expect(staged.shown.value.map((d) => d.block.group)).toEqual(['c', 'd']);
    expect(staged.page.value).toEqual({ page: 1, of: 2 });
    scope.stop();
  });
});

describe('frameBudget: the staged work of one frame shares one budget of tiles', () => {
  it('runs the steps in the order they asked, within the budget, from the frame after the one they asked in', () => {
    const budget = frameBudget(100);
    const left = { a: 150, b: 100 };
    const used: Record<string, number[]> = { a: [], b: [] };
    const step = (name: 'a' | 'b') => (room: number) => {
      const n = Math.min(room, left[name]);
      left[name] -= n;
      used[name].push(n);
      return { used: n, more: left[name] > 0 };
    };
    budget.ask(step('a'));
    budget.ask(step('b'));
    frame();
    expect(used).toEqual({ a: [], b: [] });
    frame();
    frame();
    frame();
    expect(used).toEqual({ a: [100, 50], b: [50, 50] });
    expect(waiting()).toBe(0);
  });
});
