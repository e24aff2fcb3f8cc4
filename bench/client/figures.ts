/** One figure of a browser benchmark: its runs, median and p95 (nearest rank), unit and goal. */
export interface BrowserFigure {
  median: number;
  p95: number;
  runs: number[];
  unit: string;
  goal: number | null;
}

/** Summarises `runs`, rounded to a tenth. */
export function figure(runs: number[], unit: string, goal: number | null): BrowserFigure {
  const sorted = [...runs].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { median: round(at(0.5)), p95: round(at(0.95)), runs: runs.map(round), unit, goal };
}
