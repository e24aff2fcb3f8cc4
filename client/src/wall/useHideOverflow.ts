import { onMounted, onScopeDispose, onUpdated, ref, type Ref } from 'vue';

/**
 * Hides the children of `list` that do not fit entirely inside it (or inside `bound`), and counts them. A wall cannot
 * scroll: a tile cut in half is worse than a clear "+ 3 more". Visibility (not display) is used, so
 * hiding never moves the layout it was measured on.
 */
export function useHideOverflow(list: Ref<HTMLElement | undefined>, bound?: Ref<HTMLElement | undefined>) {
  const hidden = ref(0);

  function measure(): void {
    const el = list.value;
    if (!el) return;
    // A list that grows with its children (a table body) is measured against the box that clips it.
    const bottom = (bound?.value ?? el).getBoundingClientRect().bottom;
    let count = 0;
    for (const child of el.children as HTMLCollectionOf<HTMLElement>) {
      const cut = child.getBoundingClientRect().bottom > bottom + 0.5;
      child.style.visibility = cut ? 'hidden' : '';
      if (cut) count += 1;
    }
    hidden.value = count;
  }

  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
  onMounted(() => {
    if (list.value) observer?.observe(list.value);
    if (bound?.value) observer?.observe(bound.value);
    measure();
  });
  onUpdated(measure);
  onScopeDispose(() => observer?.disconnect());

  return { hidden };
}
