import { shallowRef, watch, type Ref } from 'vue';
import { Chart, LinearScale, PointElement, ScatterController, type Scale } from 'chart.js';
import { useChart } from '../ui/charts/useChart.ts';
import { styleScale } from '../ui/charts/axes.ts';
import { formatClock } from '../ui/format.ts';
import type { Tone } from '../ui/status.ts';
import { localOffsetMs, timeTicks } from './time-axis.ts';
import { timelinePlugin, type TimelineColors, type TimelineDraw } from './timeline-plugin.ts';
import type { TimelineModel } from './timeline-rows.ts';
import type { Span } from './scrub.ts';

const TONES: Tone[] = ['ok', 'warn', 'bad', 'unknown', 'muted', 'info'];
const LABEL_FONT_PX = 12;

let widthOf: { model: TimelineModel | null; width: number } = { model: null, width: 0 };

/** Width of the row-name axis: the longest name, measured once per model. */
function labelWidth(ctx: CanvasRenderingContext2D, model: TimelineModel | null): number {
  if (widthOf.model === model) return widthOf.width;
  ctx.save();
  ctx.font = `${LABEL_FONT_PX}px ${Chart.defaults.font.family}`;
  const longest = Math.max(40, ...(model?.rows ?? []).map((row) => ctx.measureText(row.label).width));
  ctx.restore();
  widthOf = { model, width: Math.ceil(longest) + 14 };
  return widthOf.width;
}

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
  utc: Ref<boolean>;
}

/** Where the plot lies on the canvas (px) and the times at its edges, as last drawn. */
export interface PlotGeometry {
  left: number;
  right: number;
  top: number;
  bottom: number;
  minMs: number;
  maxMs: number;
}

/**
 * The chart.js state timeline: a scatter chart whose only dataset is the annotation markers
 * (`parsing: false`, ms timestamps), with the rows drawn by the timeline plugin. New rows or a new
 * view update it with `update('none')`. The replay cursor is not drawn on the canvas: `geometry`
 * lets the component place it as an element over the plot, so moving it repaints nothing.
 */
export function useTimelineChart(canvas: Ref<HTMLCanvasElement | undefined>, inputs: TimelineChartInputs) {
  Chart.register(ScatterController, PointElement, LinearScale);
  const geometry = shallowRef<PlotGeometry | null>(null);
  const draw: TimelineDraw = { model: null, colors: null, onDrawn: measure };
  const stepOf = (scale: Scale) => (scale.ticks.length > 1 ? scale.ticks[1]!.value - scale.ticks[0]!.value : 60_000);

  function fill(chart: Chart<'scatter', { x: number; y: number }[], string>): void {
    const model = inputs.model.value;
    draw.model = model;
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
              sampleSize: 2,
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
            // Row names are measured once here rather than tick by tick by chart.js: a few hundred rows
            // would otherwise cost tens of milliseconds on every update.
            afterFit: (scale) => {
              scale.width = labelWidth(scale.ctx, inputs.model.value);
            },
            ticks: {
              autoSkip: false,
              sampleSize: 1,
              font: { size: LABEL_FONT_PX },
              callback: (value) => inputs.model.value?.rows[Number(value)]?.label ?? '',
            },
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

  function measure(): void {
    const c = chart.value;
    const x = c?.scales.x;
    if (!c || !x) return;
    const { left, right, top, bottom } = c.chartArea;
    const g = geometry.value;
    if (g && g.left === left && g.right === right && g.top === top && g.bottom === bottom && g.minMs === x.min && g.maxMs === x.max) return;
    geometry.value = { left, right, top, bottom, minMs: x.min, maxMs: x.max };
  }

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

  return { chart, geometry, timeAt, rowAt, onLabels };
}
