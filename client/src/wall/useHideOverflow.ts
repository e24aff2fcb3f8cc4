import { onMounted, onScopeDispose, onUpdated, ref, type Ref } from 'vue';

/**
 * Hides the children of `list` that do not fit entirely inside it, and counts them. A wall cannot
 * scroll: a tile cut in half is worse than a clear "+ 3 more". Visibility (not display) is used, so
 * hiding never moves the layout it was measured on.
 */
export function useHideOverflow(list: Ref<HTMLElement | undefined>) {
  const hidden = ref(0);

  function measure(): void {
    const el = list.value;
    if (!el) return;
    const bottom = el.getBoundingClientRect().bottom;
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
    measure();
  });
  onUpdated(measure);
  onScopeDispose(() => observer?.disconnect());

  return { hidden };
}
