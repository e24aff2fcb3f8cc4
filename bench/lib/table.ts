import type { BenchRecord } from './results.ts';
import { goalText, ratioText, runsText, withUnit } from './format.ts';

/** The results as a plain-text table on stdout. */
export function printTable(records: readonly BenchRecord[], print: (line: string) => void = console.log): void {
  const rows: string[][] = [['benchmark', 'figure', 'median', 'p95', 'runs', 'baseline', 'goal']];
  for (const r of records) {
    if (r.status !== 'ok') {
      rows.push([r.name, `${r.status}: ${r.reason ?? ''}`.slice(0, 100), '', '', '', '', '']);
      continue;
    }
    for (const f of r.figures) {
      rows.push([r.name, f.name, withUnit(f.median, f.unit), withUnit(f.p95, f.unit), runsText(f), ratioText(f), goalText(f)]);
    }
  }
  const widths = rows[0].map((_, c) => Math.min(70, Math.max(...rows.map((row) => row[c].length))));
  for (const [i, row] of rows.entries()) {
    print(
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) print(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
