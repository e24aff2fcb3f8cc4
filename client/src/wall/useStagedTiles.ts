import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import type { MapGroup, MapSite } from './site-groups.ts';

/** Tiles changed per frame: a state that changes 500 tiles is drawn over a few frames, never in one long task. */
export const TILES_PER_FRAME = 100;

/**
 * The tiles as drawn: the latest state's, applied `TILES_PER_FRAME` changed tiles per animation
 * frame (all of them within a few frames, about 0.1 s). A wall that must never freeze trades that
 * tenth of a second for tasks short enough to keep the page responsive.
 */
export function useStagedTiles(groups: Ref<MapGroup[]>) {
  const shown = shallowRef<ReadonlyMap<string, MapSite>>(new Map());
  let pending: MapSite[] = [];
  let frame = 0;

  function step(): void {
    frame = 0;
    const next = new Map(shown.value);
    for (const site of pending.splice(0, TILES_PER_FRAME)) next.set(site.id, site);
    shown.value = next;
    if (pending.length) frame = requestAnimationFrame(step);
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
      if (pending.length && !frame) frame = requestAnimationFrame(() => (frame = requestAnimationFrame(step)));
    },
    { immediate: true },
  );
  onScopeDispose(() => cancelAnimationFrame(frame));
  return { shown };
}
