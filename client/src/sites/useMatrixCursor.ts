import { computed, onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import { SERVICE_KEYS, type SiteView } from '@hqwatch/shared';
import type { MatrixColumn } from '../switches/columns.ts';
import { moveInGrid } from './grid-keys.ts';

export interface CellRef {
  siteId: string;
  /** A service, or the Switches column. */
  service: MatrixColumn;
}

export interface TipAnchor extends CellRef {
  rect: DOMRect;
}

function cellOf(target: EventTarget | null): CellRef | null {
  const cell = target instanceof Element ? target.closest<HTMLElement>('[role="gridcell"]') : null;
  const row = cell?.closest<HTMLElement>('[data-site]');
  if (!cell || !row) return null;
  return { siteId: row.dataset.site!, service: cell.dataset.service as MatrixColumn };
}

function element(ref: CellRef | null): HTMLElement | null {
  return ref ? document.getElementById(`cell-${ref.siteId}-${ref.service}`) : null;
}

/**
 * Keyboard cursor and tooltip of the site matrix. The grid keeps focus and points at its active cell
 * with aria-activedescendant, so thousands of cells cost one tab stop and no per-cell listener:
 * pointer and key events are handled once, on the grid.
 */
export function useMatrixCursor(
  grid: Ref<HTMLElement | undefined>,
  rows: Ref<readonly SiteView[]>,
  tipId: string,
  columns: Ref<readonly MatrixColumn[]> = shallowRef(SERVICE_KEYS),
) {
  const cursor = shallowRef<CellRef | null>(null);
  const hovered = shallowRef<CellRef | null>(null);
  const focused = shallowRef(false);
  /** Bumped when cells may have moved (re-render, scroll), to re-measure the tooltip's anchor. */
  const layout = shallowRef(0);

  const activeId = computed(() =>
    focused.value && element(cursor.value) ? `cell-${cursor.value!.siteId}-${cursor.value!.service}` : undefined,
  );

  /** The cell the tooltip explains: the hovered one, else the keyboard cursor while the grid has focus. */
  const tip = computed<TipAnchor | null>(() => {
    void layout.value;
    const ref = hovered.value ?? (focused.value ? cursor.value : null);
    const cell = element(ref);
    return ref && cell ? { ...ref, rect: cell.getBoundingClientRect() } : null;
  });

  function mark(on: boolean): void {
    const cell = element(cursor.value);
    cell?.classList.toggle('active', on);
    if (on) cell?.setAttribute('aria-describedby', tipId);
    else cell?.removeAttribute('aria-describedby');
  }

  function place(ref: CellRef): void {
    mark(false);
    cursor.value = ref;
    mark(true);
    element(ref)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    layout.value += 1;
  }

  function onKeydown(event: KeyboardEvent): void {
    const list = rows.value;
    if (event.key === 'Escape') hovered.value = null;
    if (!list.length || !cursor.value) return;
    const cols = columns.value;
    const at = { row: list.findIndex((site) => site.id === cursor.value!.siteId), col: cols.indexOf(cursor.value.service) };
    const next = moveInGrid(
      { row: Math.max(0, at.row), col: Math.max(0, at.col) },
      event.key,
      event.ctrlKey || event.metaKey,
      list.length,
      cols.length,
    );
    if (!next) return;
    event.preventDefault();
    hovered.value = null;
    place({ siteId: list[next.row]!.id, service: cols[next.col]! });
  }

  function onFocus(): void {
    focused.value = true;
    const first = rows.value[0];
    if (element(cursor.value)) mark(true);
    else if (first) place({ siteId: first.id, service: SERVICE_KEYS[0] });
  }

  function onBlur(): void {
    focused.value = false;
    mark(false);
  }

  function onPointerOver(event: PointerEvent): void {
    hovered.value = cellOf(event.target);
  }

  function onPointerLeave(): void {
    hovered.value = null;
  }

  function onClick(event: MouseEvent): void {
    const hit = cellOf(event.target);
    if (!hit) return;
    grid.value?.focus({ preventScroll: true });
    place(hit);
  }

  function onScroll(): void {
    if (hovered.value || focused.value) layout.value += 1;
  }

  // Rows re-render and re-sort under the cursor: restore its highlight on the new element and
  // re-measure the tooltip once the DOM is updated.
  watch(
    rows,
    () => {
      if (focused.value) mark(true);
      layout.value += 1;
    },
    { flush: 'post' },
  );
  window.addEventListener('scroll', onScroll, { capture: true, passive: true });
  onScopeDispose(() => window.removeEventListener('scroll', onScroll, { capture: true }));

  return { activeId, tip, onKeydown, onFocus, onBlur, onPointerOver, onPointerLeave, onClick };
}
