import type { Span } from './scrub.ts';

/** The part of the incident the timeline shows; never narrower than `MIN_VIEW_MS`. */
export const MIN_VIEW_MS = 2_000;

function fit(fromMs: number, toMs: number, span: Span): Span {
  const full = span.endMs - span.startMs;
  const length = Math.min(full, Math.max(MIN_VIEW_MS, toMs - fromMs));
  const start = Math.min(span.endMs - length, Math.max(span.startMs, fromMs));
  return { startMs: start, endMs: start + length };
}

/** Zooms by `factor` (below 1 zooms in) keeping `centerMs` where it is on screen. */
export function zoomView(view: Span, factor: number, centerMs: number, span: Span): Span {
  const center = Math.min(view.endMs, Math.max(view.startMs, centerMs));
  const before = (center - view.startMs) * factor;
  const after = (view.endMs - center) * factor;
  return fit(center - before, center + after, span);
}

/** The view of a range picked on the chart, in either direction. */
export function selectView(aMs: number, bMs: number, span: Span): Span {
  return fit(Math.min(aMs, bMs), Math.max(aMs, bMs), span);
}

/** Shifts the view by `deltaMs`, staying within the incident. */
export function panView(view: Span, deltaMs: number, span: Span): Span {
  return fit(view.startMs + deltaMs, view.endMs + deltaMs, span);
}

/** Whether the view shows the whole incident. */
export function isWholeView(view: Span, span: Span): boolean {
  return view.startMs <= span.startMs && view.endMs >= span.endMs;
}
