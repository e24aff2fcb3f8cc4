import type { HqWindow } from '@hqwatch/shared';

/**
 * Elapsed time of an open window at `nowMs` on the client clock. `offsetMs` is the server clock
 * minus the client clock, so a laptop whose clock is off still counts from the server's start.
 */
export function windowElapsedMs(window: HqWindow, nowMs: number, offsetMs: number): number {
  const started = Date.parse(window.startedAt);
  if (Number.isNaN(started)) return window.elapsedMs;
  return Math.max(0, nowMs + offsetMs - started);
}

/** Whether the window has passed its expected maximum, by the server's verdict or the local tick. */
export function isOverrun(window: HqWindow, elapsedMs: number): boolean {
  return window.overrun || elapsedMs > window.expectedMaxMs;
}

/** "5–20 min" from the expected range, in minutes when both ends are whole minutes. */
export function expectedRangeText(minMs: number, maxMs: number): string {
  const wholeMinutes = minMs % 60_000 === 0 && maxMs % 60_000 === 0;
  if (wholeMinutes) return `${minMs / 60_000}–${maxMs / 60_000} min`;
  return `${Math.round(minMs / 1000)}–${Math.round(maxMs / 1000)} s`;
}
