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

/** A value axis tick in minutes: whole minutes, or seconds below a minute (short test windows). */
export function minutesTick(value: number | string): string {
  const n = Number(value);
  if (n === 0) return '0';
  if (Number.isInteger(n)) return `${n} min`;
  return n < 1 ? `${Math.round(n * 60)} s` : `${n.toFixed(1)} min`;
}
