import { onScopeDispose, shallowRef, watch, type Ref, type ShallowRef } from 'vue';
import { ProgressiveRows, type Keyed } from './progressive.ts';

/** Rows rendered per frame: one slice stays well inside a 16 ms frame. */
export const ROWS_PER_FRAME = 40;

/**
 * `rows`, rendered a slice per frame when many of them change at once (the first state, a failover
 * touching every site), so no single task renders hundreds of rows. Small changes show at once.
 * A hidden page gets everything at once: nobody waits on it, and hidden pages get no frames.
 */
export function useProgressiveRows<T extends Keyed>(rows: Ref<readonly T[]>, perFrame = ROWS_PER_FRAME): ShallowRef<readonly T[]> {
  const progressive = new ProgressiveRows<T>(perFrame);
  const shown = shallowRef<readonly T[]>([]);
  let frame = 0;

  function schedule(): void {
    if (!frame) frame = requestAnimationFrame(tick);
  }

  /** The first slice of a large change waits a frame: the change's own task and frame already update the rest of the page. */
  function scheduleLater(): void {
    if (!frame) frame = requestAnimationFrame(() => ((frame = 0), schedule()));
  }

  function tick(): void {
    frame = 0;
    const done = progressive.step();
    shown.value = progressive.view();
    if (!done) schedule();
  }

  function flushAll(): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
    progressive.step(true);
    shown.value = progressive.view();
  }

  watch(
    rows,
    (next) => {
      progressive.setTarget(next);
      if (document.hidden || progressive.pending() <= perFrame) flushAll();
      else scheduleLater();
    },
    { immediate: true },
  );

  const onVisibility = () => {
    if (!document.hidden && frame) flushAll();
  };
  document.addEventListener('visibilitychange', onVisibility);
  onScopeDispose(() => {
    if (frame) cancelAnimationFrame(frame);
    document.removeEventListener('visibilitychange', onVisibility);
  });

  return shown;
}
