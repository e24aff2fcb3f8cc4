import { onMounted, onScopeDispose, shallowRef, type Ref } from 'vue';

/** The content size of `el`, kept current by a ResizeObserver (rounded to whole pixels). */
export function useBoxSize(el: Ref<HTMLElement | undefined>) {
  const size = shallowRef({ width: 0, height: 0 });
  function measure(): void {
    const box = el.value;
    if (!box) return;
    const width = Math.floor(box.clientWidth);
    const height = Math.floor(box.clientHeight);
    if (width !== size.value.width || height !== size.value.height) size.value = { width, height };
  }
  const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
  onMounted(() => {
    if (el.value) observer?.observe(el.value);
    measure();
  });
  onScopeDispose(() => observer?.disconnect());
  return { size };
}
