/** How figures read, in the console table and in the README alike. */
import type { Figure } from './results.ts';

/** 3 significant digits, thousands separated: 0.0123, 4.56, 789, 12,345. */
export function num(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function withUnit(value: number | undefined, unit: string): string {
  const text = num(value);
  if (text === '—' || unit === '') return text;
  return unit.startsWith('%') ? `${text}${unit}` : `${text} ${unit}`;
}

export function ratioText(f: Figure): string {
  return f.baseline ? `×${num(f.baseline.ratio)} vs ${f.baseline.name} (${withUnit(f.baseline.median, f.unit)})` : '';
}

export function goalText(f: Figure): string {
  if (!f.goal) return '';
  return `${f.goal.met ? 'met' : 'MISSED'}: ${f.goal.text}`;
}

export function runsText(f: Figure): string {
  return f.runs.length ? `${f.runs.length} × ${f.runsOf}` : f.runsOf;
}
