import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import type { MapGroup, MapSite } from './site-groups.ts';
import { frameBudget, type FrameBudget } from './frame-budget.ts';

/**
 * The tiles as drawn: the latest state's, applied a slice of changed tiles per animation frame
 * (`frames`, shared with the map's other staged work; all of them within a few frames, about
 * 0.1 s). A wall that must never freeze trades that tenth of a second for tasks short enough to
 * keep the page responsive.
 */
export function useStagedTiles(groups: Ref<MapGroup[]>, frames: FrameBudget = frameBudget()) {
  const shown = shallowRef<ReadonlyMap<string, MapSite>>(new Map());
  let pending: MapSite[] = [];

  function step(room: number): { used: number; more: boolean } {
    const slice = pending.splice(0, room);
    if (slice.length) {
      const next = new Map(shown.value);
      for (const site of slice) next.set(site.id, site);
      shown.value = next;
    }
    return { used: slice.length, more: pending.length > 0 };
  }

  watch(
    groups,
    (list) => {
      const all = list.flatMap((g) => g.sites);
      // Sites that are gone (a config reload) are forgotten: the marks of changed tiles follow what is drawn.
      const ids = new Set(all.map((s) => s.id));
      if ([...shown.value.keys()].some((id) => !ids.has(id))) shown.value = new Map([...shown.value].filter(([id]) => ids.has(id)));
      const current = shown.value;
      // A site's latest version replaces any not yet drawn; the first state is drawn at once.
      pending = all.filter((s) => current.get(s.id)?.signature !== s.signature);
      if (!current.size || typeof requestAnimationFrame !== 'function') {
        shown.value = new Map(all.map((s) => [s.id, s]));
        pending = [];
        return;
      }
      // The first slice waits a frame: the change's own frame already draws the rest of the wall it
      // changed (servers, losses by home server, counts), and a slice of tiles on top of it made it
      // the wall's longest task.
      if (pending.length) frames.ask(step);
    },
    { immediate: true },
  );
  onScopeDispose(() => frames.stop());
  return { shown };
}
