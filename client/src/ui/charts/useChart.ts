import { onMounted, onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import type { Chart, ChartConfiguration, ChartType } from 'chart.js';
import { storeToRefs } from 'pinia';
import { usePreferencesStore } from '../../settings/preferences.store.ts';
import { chartColors, registerCharts, type ChartColors } from './setup.ts';

/**
 * A chart.js chart on `canvas`, created once mounted and destroyed with the component. The instance
 * is kept out of Vue's reactivity (a shallow ref, never proxied); callers mutate its data and call
 * `update('none')`. `restyle` is called with the theme's colours at creation and on theme change.
 *
 * Restyling ends with a full `update()`: in 'none' mode chart.js keeps the element options it shared
 * between bars, so new colours would not show. Animations are off, so it is just as immediate.
 * Colours that depend on the data (an overrun bar) are scriptable options, resolved on every update.
 */
export function useChart<T extends ChartType>(
  canvas: Ref<HTMLCanvasElement | undefined>,
  configure: (colors: ChartColors) => ChartConfiguration<T, { x: number; y: number }[], string>,
  restyle: (chart: Chart<T, { x: number; y: number }[], string>, colors: ChartColors) => void,
) {
  const chart = shallowRef<Chart<T, { x: number; y: number }[], string> | null>(null);
  const { theme } = storeToRefs(usePreferencesStore());

  let disposed = false;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let frame = 0;
  // Charts are not `responsive` (see setup.ts): their box is watched here instead.
  const resizer =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => chart.value?.resize());
        })
      : null;

  function create(): void {
    const ChartJs = registerCharts();
    if (disposed || !canvas.value) return;
    const colors = chartColors();
    chart.value = new ChartJs(canvas.value, configure(colors)) as unknown as Chart<T, { x: number; y: number }[], string>;
    restyle(chart.value, colors);
    chart.value.resize();
    chart.value.update();
    if (canvas.value.parentElement) resizer?.observe(canvas.value.parentElement);
  }

  // Created in a task of its own: a chart that appears with a state change (the open window) does
  // not lengthen the task that renders that change.
  onMounted(() => {
    pending = setTimeout(create, 0);
  });

  watch(theme, () => {
    // The theme's CSS variables apply on the next frame.
    requestAnimationFrame(() => {
      if (!chart.value) return;
      restyle(chart.value, chartColors());
      chart.value.update();
    });
  });

  onScopeDispose(() => {
    disposed = true;
    clearTimeout(pending);
    cancelAnimationFrame(frame);
    resizer?.disconnect();
    chart.value?.destroy();
    chart.value = null;
  });

  return chart;
}
