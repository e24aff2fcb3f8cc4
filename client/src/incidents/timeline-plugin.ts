import type { Chart, Plugin } from 'chart.js';
import type { Tone } from '../ui/status.ts';
import type { TimelineModel } from './timeline-rows.ts';

export interface TimelineColors {
  text: string;
  muted: string;
  grid: string;
  cursor: string;
  window: string;
  overrun: string;
  note: string;
  tones: Record<Tone, { fg: string; bg: string }>;
}

/** What the plugin draws; read on every draw, so changing it and calling `chart.draw()` is enough. */
export interface TimelineDraw {
  model: TimelineModel | null;
  colors: TimelineColors | null;
  /** Called after every draw, for what is painted over the chart (the cursor). */
  onDrawn?: () => void;
}

const TONE_RANK: Record<Tone, number> = { bad: 5, warn: 4, unknown: 3, info: 2, ok: 1, muted: 0 };

function hatch(ctx: CanvasRenderingContext2D, color: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = tile.height = 8;
  const t = tile.getContext('2d');
  if (!t) return color;
  t.strokeStyle = color;
  t.globalAlpha = 0.45;
  t.lineWidth = 2;
  t.beginPath();
  t.moveTo(-2, 10);
  t.lineTo(10, -2);
  t.stroke();
  return ctx.createPattern(tile, 'repeat') ?? color;
}

/**
 * Draws the state timeline on a chart whose x scale is time (ms) and y scale the row index:
 * segments with their word when it fits (down ones hatched, so status never rests on colour), the
 * windows shaded across every row and the notes. Segments narrower than
 * a pixel are merged into their worst neighbour, so a long incident costs no more than the canvas
 * is wide.
 */
export function timelinePlugin(draw: TimelineDraw): Plugin<'scatter'> {
  let patternFor: { color: string; pattern: CanvasPattern | string } | null = null;

  return {
    id: 'hqTimeline',
    beforeDatasetsDraw(chart: Chart) {
      const { model, colors } = draw;
      if (!model || !colors) return;
      const { ctx, chartArea: area } = chart;
      const x = chart.scales.x!;
      const y = chart.scales.y!;
      const rowPx = Math.abs(y.getPixelForValue(1) - y.getPixelForValue(0));
      const barPx = Math.max(4, rowPx * 0.72);
      if (!patternFor || patternFor.color !== colors.tones.bad.fg)
        patternFor = { color: colors.tones.bad.fg, pattern: hatch(ctx, colors.tones.bad.fg) };
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      ctx.font = `600 ${Math.min(12, Math.round(barPx * 0.7))}px system-ui, sans-serif`;
      ctx.textBaseline = 'middle';

      const paint = (from: number, to: number, top: number, tone: Tone, text: string | null) => {
        const look = colors.tones[tone];
        ctx.fillStyle = look.bg;
        ctx.fillRect(from, top, to - from, barPx);
        if (tone === 'bad') {
          ctx.fillStyle = patternFor!.pattern;
          ctx.fillRect(from, top, to - from, barPx);
        }
        ctx.fillStyle = look.fg;
        ctx.fillRect(from, top, Math.min(2, to - from), barPx);
        if (text && to - from > 24) {
          const room = to - from - 8;
          if (ctx.measureText(text).width <= room) ctx.fillText(text, from + 5, top + barPx / 2);
        }
      };

      model.rows.forEach((row, index) => {
        const top = y.getPixelForValue(index) - barPx / 2;
        if (top > area.bottom || top + barPx < area.top) return;
        let pending: { from: number; to: number; tone: Tone } | null = null;
        for (const s of row.segments) {
          const from = Math.max(area.left, x.getPixelForValue(s.fromMs));
          const to = Math.min(area.right, x.getPixelForValue(s.toMs));
          if (to < area.left || from > area.right || to < from) continue;
          if (to - from < 1) {
            if (!pending) pending = { from, to, tone: s.tone };
            else {
              pending.to = to;
              if (TONE_RANK[s.tone] > TONE_RANK[pending.tone]) pending.tone = s.tone;
            }
            if (pending.to - pending.from >= 1) {
              paint(pending.from, pending.to, top, pending.tone, null);
              pending = null;
            }
            continue;
          }
          if (pending) {
            paint(pending.from, Math.max(pending.from + 1, pending.to), top, pending.tone, null);
            pending = null;
          }
          paint(from, to, top, s.tone, `${s.glyph} ${s.word}`);
        }
        if (pending) paint(pending.from, Math.max(pending.from + 1, pending.to), top, pending.tone, null);
      });

      for (const band of model.windows) {
        const from = Math.max(area.left, x.getPixelForValue(band.fromMs));
        const to = Math.min(area.right, x.getPixelForValue(band.toMs));
        if (to <= from) continue;
        ctx.fillStyle = band.overrun ? colors.overrun : colors.window;
        ctx.globalAlpha = 0.14;
        ctx.fillRect(from, area.top, to - from, area.bottom - area.top);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = band.overrun ? colors.overrun : colors.window;
        ctx.setLineDash([5, 4]);
        ctx.lineWidth = 1.5;
        for (const edge of [from, to]) {
          ctx.beginPath();
          ctx.moveTo(edge, area.top);
          ctx.lineTo(edge, area.bottom);
          ctx.stroke();
        }
        ctx.setLineDash([]);
      }
      ctx.restore();
    },
    afterDatasetsDraw(chart: Chart) {
      const { colors, model } = draw;
      if (!colors) return;
      const { ctx, chartArea: area } = chart;
      const x = chart.scales.x!;
      ctx.save();
      ctx.strokeStyle = colors.note;
      ctx.setLineDash([2, 3]);
      for (const note of model?.annotations ?? []) {
        const px = x.getPixelForValue(note.ms);
        if (px < area.left || px > area.right) continue;
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
      }
      ctx.restore();
    },
    afterDraw() {
      draw.onDrawn?.();
    },
  };
}
