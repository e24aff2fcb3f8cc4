import { onScopeDispose, ref, watch, type Ref } from 'vue';
import { MIN_ROTATE_MS } from './wall.ts';

/** Every page of the map is shown within this time: the wall's promise for "everything that is wrong". */
export const ALL_PAGES_WITHIN_MS = 30_000;

/** Time on each of `pages` pages: all of them within 30 s, none shorter than can be read. */
export function pageDwellMs(pages: number): number {
  return Math.max(MIN_ROTATE_MS, Math.floor(ALL_PAGES_WITHIN_MS / Math.max(1, pages)));
}

/** The page of the map on screen, turning by itself while there is more than one. */
export function useMapPages(pages: Ref<number>) {
  const page = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  watch(
    pages,
    (count) => {
      clearInterval(timer);
      timer = undefined;
      if (page.value >= count) page.value = 0;
      if (count > 1) timer = setInterval(() => (page.value = (page.value + 1) % pages.value), pageDwellMs(count));
    },
    { immediate: true },
  );
  onScopeDispose(() => clearInterval(timer));
  return { page };
}
