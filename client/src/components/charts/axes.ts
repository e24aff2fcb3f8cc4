import type { ChartColors } from './setup.ts';

/** The parts of a cartesian scale's options the theme colours. */
interface StylableScale {
  ticks?: { color?: unknown };
  grid?: { color?: unknown };
  title?: { color?: unknown };
}

/** Applies the theme to a scale's ticks, grid and title. */
export function styleScale(scale: StylableScale | undefined, colors: ChartColors): void {
  if (!scale) return;
  scale.ticks = { ...scale.ticks, color: colors.muted };
  scale.grid = { ...scale.grid, color: colors.grid };
  if (scale.title) scale.title.color = colors.muted;
}

/** Minutes with at most one decimal, for value axes. */
export function minutesTick(value: number | string): string {
  const n = Number(value);
  return Number.isInteger(n) ? `${n} min` : `${n.toFixed(1)} min`;
}
