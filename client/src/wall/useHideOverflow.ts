import { onMounted, onScopeDispose, onUpdated, ref, type Ref } from 'vue';

/**
 * Hides the children of `list` that do not fit entirely inside it (or inside `bound`), and counts them. A wall cannot
 * scroll: a tile cut in half is worse than a clear "+ 3 more". Visibility (not display) is used, so
 * hiding never moves the layout it was measured on.
 */
export function useHideOverflow(list: Ref<HTMLElement | undefined>, bound?: Ref<HTMLElement | undefined>) {
  const hidden = ref(0);

  // A list that grows with its children (a table body) is measured against the box that clips it.
  function measure(): void {
    const el = list.value;
    if (!el) return;
    // Every rectangle is read before any visibility is written: reads between writes would force
    // a layout per child (with 500 sites on the wall, that was most of each update's time).
    const bottom = (bound?.value ?? el).getBoundingClientRect().bottom;
    const children = [...(el.children as HTMLCollectionOf<HTMLElement>)];
    const cut = children.map((child) => child.getBoundingClientRect().bottom > bottom + 0.5);
    children.forEach((child, i) => {
      const visibility = cut[i] ? 'hidden' : '';
      if (child.style.visibility !== visibility) child.style.visibility = visibility;
    });
    hidden.value = cut.filter(Boolean).length;
  }

  // After an update the measure waits for the next frame: read in the message's own task, the
  // rectangles would force a layout of the whole wall there and then, and once more at the frame.
  let frame = 0;
  function later(): void {
    if (frame || typeof requestAnimationFrame !== 'function') return frame ? undefined : measure();
    frame = requestAnimationFrame(() => {
      frame = 0;
      measure();
    });
  }

  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
  onMounted(() => {
    if (list.value) observer?.observe(list.value);
    if (bound?.value) observer?.observe(bound.value);
    measure();
  });
  // A list that grows with its children is resized by any child that comes, goes or changes
  // height, and the observer measures then: an update that changes only words or colours (every
  // change of a failover, on the losses table) never forces a layout to re-measure. A list of
  // fixed size is measured after every update.
  if (!observer || !bound) onUpdated(later);
  onScopeDispose(() => {
    observer?.disconnect();
    if (frame) cancelAnimationFrame(frame);
  });

  return { hidden };
}
