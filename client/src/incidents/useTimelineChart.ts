import { watch, type Ref } from 'vue';
import { Chart, LinearScale, PointElement, ScatterController, type Scale } from 'chart.js';
import { useChart } from '../components/charts/useChart.ts';
import { styleScale } from '../components/charts/axes.ts';
import { formatClock } from '../live/format.ts';
import type { Tone } from '../live/status.ts';
import { localOffsetMs, timeTicks } from './time-axis.ts';
import { timelinePlugin, type TimelineColors, type TimelineDraw } from './timeline-plugin.ts';
import type { TimelineModel } from './timeline-rows.ts';
import type { Span } from './scrub.ts';

const TONES: Tone[] = ['ok', 'warn', 'bad', 'unknown', 'muted', 'info'];

function timelineColors(): TimelineColors {
  const style = getComputedStyle(document.documentElement);
  const get = (name: string) => style.getPropertyValue(name).trim();
  const tones = Object.fromEntries(
    TONES.map((t) => [t, { fg: get(`--tone-${t}-fg`), bg: get(`--tone-${t}-bg`) }]),
  ) as TimelineColors['tones'];
  return {
    text: get('--text'),
    muted: get('--text-muted'),
    grid: get('--chart-grid'),
    cursor: get('--focus'),
    window: get('--chart-window'),
    overrun: get('--chart-overrun'),
    note: get('--chart-bar-2'),
    tones,
  };
}

export interface TimelineChartInputs {
  model: Ref<TimelineModel | null>;
  view: Ref<Span>;
  cursorMs: Ref<number | null>;
  selection: Ref<{ fromMs: number; toMs: number } | null>;
  utc: Ref<boolean>;
}

/**
 * The chart.js state timeline: a scatter chart whose only dataset is the annotation markers
 * (`parsing: false`, ms timestamps), with the rows drawn by the timeline plugin. Moving the cursor
 * or the selection only redraws; new rows or a new view update with `update('none')`.
 */
export function useTimelineChart(canvas: Ref<HTMLCanvasElement | undefined>, inputs: TimelineChartInputs) {
  Chart.register(ScatterController, PointElement, LinearScale);
  const draw: TimelineDraw = { model: null, cursorMs: null, selection: null, colors: null };
  const stepOf = (scale: Scale) => (scale.ticks.length > 1 ? scale.ticks[1]!.value - scale.ticks[0]!.value : 60_000);

  function fill(chart: Chart<'scatter', { x: number; y: number }[], string>): void {
    const model = inputs.model.value;
    draw.model = model;
    draw.cursorMs = inputs.cursorMs.value;
    const rows = model?.rows.length ?? 1;
    const x = chart.options.scales!.x!;
    x.min = inputs.view.value.startMs;
    x.max = inputs.view.value.endMs;
    const y = chart.options.scales!.y!;
    y.min = -0.5;
    y.max = rows - 0.5;
    chart.data.datasets[0]!.data = (model?.annotations ?? []).map((note) => ({ x: note.ms, y: -0.5 }));
  }

  const chart = useChart<'scatter'>(
    canvas,
    () => ({
      type: 'scatter',
      data: { datasets: [{ label: 'Notes', data: [], parsing: false, pointStyle: 'triangle', pointRadius: 7, rotation: 180 }] },
      options: {
        parsing: false,
        animation: false,
        events: [],
        layout: { padding: { top: 8, right: 8 } },
        scales: {
          x: {
            type: 'linear',
            position: 'top',
            afterBuildTicks: (scale) => {
              const offset = inputs.utc.value ? 0 : localOffsetMs(scale.min);
              scale.ticks = timeTicks(scale.min, scale.max, Math.max(2, Math.floor(scale.width / 90)), offset).map((value) => ({ value }));
            },
            ticks: {
              autoSkip: false,
              maxRotation: 0,
              callback(value) {
                const text = formatClock(Number(value), inputs.utc.value);
                return stepOf(this as unknown as Scale) >= 60_000 ? text.slice(0, 5) : text;
              },
            },
          },
          y: {
            type: 'linear',
            reverse: true,
            grid: { display: false },
            afterBuildTicks: (scale) => {
              scale.ticks = (inputs.model.value?.rows ?? []).map((_, value) => ({ value }));
            },
            ticks: { autoSkip: false, font: { size: 12 }, callback: (value) => inputs.model.value?.rows[Number(value)]?.label ?? '' },
          },
        },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
      },
      plugins: [timelinePlugin(draw)],
    }),
    (instance, colors) => {
      draw.colors = timelineColors();
      styleScale(instance.options.scales?.x, colors);
      styleScale(instance.options.scales?.y, colors);
      // Row names read as text, not as axis figures.
      const ticks = instance.options.scales?.y?.ticks;
      if (ticks) ticks.color = colors.text;
      const dataset = instance.data.datasets[0]!;
      dataset.backgroundColor = draw.colors.note;
      dataset.borderColor = draw.colors.note;
      fill(instance);
    },
  );

  watch([inputs.model, inputs.view, inputs.utc], () => {
    if (!chart.value) return;
    fill(chart.value);
    chart.value.update('none');
  });

  watch([inputs.cursorMs, inputs.selection], () => {
    draw.cursorMs = inputs.cursorMs.value;
    draw.selection = inputs.selection.value;
    chart.value?.draw();
  });

  /** The time under a horizontal pixel of the canvas, or null outside the plot. */
  function timeAt(px: number): number | null {
    const c = chart.value;
    if (!c || px < c.chartArea.left || px > c.chartArea.right) return null;
    return c.scales.x!.getValueForPixel(px) ?? null;
  }

  /** The row under a vertical pixel, or -1. */
  function rowAt(py: number): number {
    const c = chart.value;
    if (!c || py < c.chartArea.top || py > c.chartArea.bottom) return -1;
    return Math.round(c.scales.y!.getValueForPixel(py) ?? -1);
  }

  /** Whether a point is left of the plot, on the row labels. */
  function onLabels(px: number): boolean {
    return !!chart.value && px < chart.value.chartArea.left;
  }

  return { chart, timeAt, rowAt, onLabels };
}
