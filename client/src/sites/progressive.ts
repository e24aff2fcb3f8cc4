/**
 * Which version of each row to show while a large change is rendered a slice at a time. Pure: the
 * composable feeds it the rows and calls `step` once per frame.
 */
export interface Keyed {
  id: string;
}

export class ProgressiveRows<T extends Keyed> {
  /** What each row shows now; a row absent from here is not shown yet. */
  private readonly shown = new Map<string, T>();
  private target: readonly T[] = [];

  constructor(private readonly perStep: number) {}

  /** New rows to converge to. Returns true when all of them are already shown as they are. */
  setTarget(rows: readonly T[]): boolean {
    this.target = rows;
    const alive = new Set(rows.map((row) => row.id));
    for (const id of this.shown.keys()) if (!alive.has(id)) this.shown.delete(id);
    return this.pending() === 0;
  }

  /** Rows whose shown version differs from the target, or that are not shown yet. */
  pending(): number {
    let count = 0;
    for (const row of this.target) if (this.shown.get(row.id) !== row) count += 1;
    return count;
  }

  /** Brings up to `perStep` rows (all of them with `all`) to their target; true when done. */
  step(all = false): boolean {
    let budget = all ? Infinity : this.perStep;
    for (const row of this.target) {
      if (budget <= 0) break;
      if (this.shown.get(row.id) === row) continue;
      this.shown.set(row.id, row);
      budget -= 1;
    }
    return this.pending() === 0;
  }

  /** The rows to render: the target's order, each at the version shown, new rows once they are. */
  view(): T[] {
    const rows: T[] = [];
    for (const row of this.target) {
      const shown = this.shown.get(row.id);
      if (shown) rows.push(shown);
    }
    return rows;
  }
}
