import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { MapBlock, MapLayout } from './map-layout.ts';
import { frameBudget, type FrameBudget } from './frame-budget.ts';

/** A block as drawn, with the layout (font and tile size) it was planned in. */
export interface DrawnBlock {
  key: string;
  block: MapBlock;
  layout: MapLayout;
  /** Its place and its tile geometry, as the block's inline style. */
  style: Record<string, string>;
}

function drawn(block: MapBlock, layout: MapLayout): DrawnBlock {
  return {
    key: `${block.group}:${block.from}`,
    block,
    layout,
    style: {
      left: `${block.x}px`,
      top: `${block.y}px`,
      width: `${block.width}px`,
      '--f': `${layout.font}px`,
      '--tw': `${layout.tile.width}px`,
      '--th': `${layout.tile.height}px`,
      '--tg': `${layout.tile.gap}px`,
    },
  };
}

/**
 * The map's blocks as drawn. A new layout (the box resized: a failover's banner opens above the
 * wall and takes a quarter of its height) moves and resizes every tile; applied at once, restyling
 * and laying out 500 tiles made the wall's longest task. It is applied a few home-server groups
 * per animation frame instead (`frames`, shared with the tiles' statuses: all within a few frames),
 * starting on the frame after the change's own, which already draws the banner. Each group's font
 * and tile size travel with its block, so a group is drawn whole in its old layout or its new
 * one; groups no longer on the page (a rotation page turned) go with the first slice.
 */
export function useStagedLayout(layout: Ref<MapLayout | null>, page: Ref<number>, frames: FrameBudget = frameBudget()) {
  const shown = shallowRef<DrawnBlock[]>([]);
  /** The page drawn, and of how many: it turns when its last group is drawn, so a page indicator never runs ahead of the map. */
  const shownPage = shallowRef({ page: page.value, of: layout.value?.pages.length ?? 1 });
  /** Whether a layout or a page is still being drawn. */
  const staging = ref(false);
  let target: DrawnBlock[] = [];
  let targetPage = shownPage.value;
  /** The target's groups not switched yet, in order, with their tile counts. */
  let pending: { group: string; tiles: number }[] = [];
  const switched = new Set<string>();

  /** Each group of the target as it is to be drawn now: its new blocks once switched, else its old ones (if any). */
  function compose(): DrawnBlock[] {
    const before = new Map<string, DrawnBlock[]>();
    for (const d of shown.value) before.set(d.block.group, [...(before.get(d.block.group) ?? []), d]);
    const out: DrawnBlock[] = [];
    for (const d of target) {
      const group = d.block.group;
      if (switched.has(group)) out.push(d);
      else if (before.has(group)) {
        out.push(...before.get(group)!);
        before.delete(group);
      }
    }
    return out;
  }

  /** Whole groups, the first whatever its size, while they fit in `room` tiles. */
  function step(room: number): { used: number; more: boolean } {
    let used = 0;
    while (pending.length && (used === 0 || used + pending[0]!.tiles <= room)) {
      const next = pending.shift()!;
      switched.add(next.group);
      used += next.tiles;
    }
    shown.value = pending.length ? compose() : target;
    if (!pending.length) {
      shownPage.value = targetPage;
      staging.value = false;
    }
    return { used, more: pending.length > 0 };
  }

  watch(
    [layout, page],
    ([l, p]) => {
      target = l ? (l.pages[p] ?? []).map((b) => drawn(b, l)) : [];
      targetPage = { page: p, of: l?.pages.length ?? 1 };
      switched.clear();
      const tiles = new Map<string, number>();
      for (const d of target) tiles.set(d.block.group, (tiles.get(d.block.group) ?? 0) + d.block.to - d.block.from);
      pending = [...tiles].map(([group, n]) => ({ group, tiles: n }));
      if (!shown.value.length || !target.length || typeof requestAnimationFrame !== 'function') {
        pending = [];
        shown.value = target;
        shownPage.value = targetPage;
        staging.value = false;
        return;
      }
      staging.value = true;
      frames.ask(step);
    },
    { immediate: true },
  );
  onScopeDispose(() => frames.stop());
  return { shown, page: shownPage, staging };
}
