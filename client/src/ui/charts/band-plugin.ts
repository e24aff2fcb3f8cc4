import type { Chart, ChartType, Plugin } from 'chart.js';

/** Options of the expected-range band, set per chart under `options.plugins.expectedBand`. */
export interface ExpectedBandOptions {
  /** Value axis id: `y` for vertical bars, `x` for horizontal ones. */
  axis?: 'x' | 'y';
  min?: number;
  max?: number;
  color?: string;
  lineColor?: string;
  label?: string;
  labelColor?: string;
  /**
   * On a category axis of bars, which categories the band stands behind (true) — an HQ outage has
   * no expected length, so its bar gets none. All of them when absent.
   */
  slots?: readonly boolean[];
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- an augmentation repeats chart.js's type parameter
  interface PluginOptionsByType<TType extends ChartType> {
    expectedBand?: ExpectedBandOptions | false;
  }
}

/**
 * Draws the expected window range (e.g. 5–20 min) behind the bars: a shaded band with its edges
 * marked, so a bar's position against "normal" is read at a glance.
 */
export const expectedBandPlugin: Plugin = {
  id: 'expectedBand',
  beforeDatasetsDraw(chart: Chart, _args, options: ExpectedBandOptions) {
    const { axis = 'y', min, max, color, lineColor, label, labelColor, slots } = options;
    const scale = chart.scales[axis];
    if (!scale || min === undefined || max === undefined) return;
    const { ctx, chartArea: area } = chart;
    const a = scale.getPixelForValue(min);
    const b = scale.getPixelForValue(max);
    ctx.save();
    ctx.fillStyle = color ?? 'rgba(0, 128, 0, 0.12)';
    ctx.strokeStyle = lineColor ?? 'rgba(0, 128, 0, 0.6)';
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1.5;
    if (axis === 'y') {
      const top = Math.max(area.top, Math.min(a, b));
      const bottom = Math.min(area.bottom, Math.max(a, b));
      for (const [left, right] of spans(chart, slots, area.left, area.right)) {
        ctx.fillRect(left, top, right - left, bottom - top);
        for (const y of [a, b]) if (y >= area.top && y <= area.bottom) line(ctx, left, y, right, y);
      }
    } else {
      const left = Math.max(area.left, Math.min(a, b));
      const right = Math.min(area.right, Math.max(a, b));
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      for (const x of [a, b]) if (x >= area.left && x <= area.right) line(ctx, x, area.top, x, area.bottom);
    }
    if (label) {
      ctx.setLineDash([]);
      ctx.fillStyle = labelColor ?? '#333';
      ctx.font = `600 ${chart.options.font?.size ?? 12}px system-ui, sans-serif`;
      ctx.textBaseline = 'top';
      const x = axis === 'y' ? area.left + 6 : Math.max(area.left, Math.min(a, b)) + 4;
      const y = axis === 'y' ? Math.max(area.top, Math.min(a, b)) + 4 : area.top + 4;
      ctx.fillText(label, x, y);
    }
    ctx.restore();
  },
};

/**
 * Horizontal stretches of the chart area the band covers: the whole width, or with `slots` the
 * width of each run of consecutive categories it stands behind.
 */
function spans(chart: Chart, slots: readonly boolean[] | undefined, left: number, right: number): [number, number][] {
  const x = chart.scales.x;
  if (!slots || !x || slots.length === 0) return [[left, right]];
  const half = (right - left) / slots.length / 2;
  const out: [number, number][] = [];
  slots.forEach((on, i) => {
    if (!on) return;
    const center = x.getPixelForValue(i);
    const from = Math.max(left, center - half);
    const to = Math.min(right, center + half);
    const last = out.at(-1);
    if (last && Math.abs(last[1] - from) < 1) last[1] = to;
    else out.push([from, to]);
  });
  return out;
}

function line(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number): void {
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
}
