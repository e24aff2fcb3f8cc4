/**
 * Which version of each row to show, and in what order, while a large change is rendered a slice at
 * a time. Pure: the composable feeds it the rows and calls `step` once per frame.
 *
 * A step brings at most `perStep` rows to the target, the target's first rows first: a row costs
 * one when its content changes, when it is new, or when it must move; a row already where it
 * belongs, as it is, costs nothing. Rows not reached yet stay below, in the order they were shown
 * in, so a re-sort of 500 rows (a failover) moves a slice of rows per frame rather than every row
 * in one task: the browser restyles and lays out each row it moves again.
 */
export interface Keyed {
  id: string;
}

export class ProgressiveRows<T extends Keyed> {
  /** What each row shows now; a row absent from here is not shown yet. */
  private readonly shown = new Map<string, T>();
  /** The rows on screen, in their order there. */
  private order: T[] = [];
  private target: readonly T[] = [];

  constructor(private readonly perStep: number) {}

  /** New rows to converge to. Returns true when all of them are already shown as they are, where they are. */
  setTarget(rows: readonly T[]): boolean {
    this.target = rows;
    const alive = new Set(rows.map((row) => row.id));
    for (const id of this.shown.keys()) if (!alive.has(id)) this.shown.delete(id);
    this.order = this.order.filter((row) => alive.has(row.id));
    return this.pending() === 0;
  }

  /** Rows still to change, to appear or to move before the view is the target. */
  pending(): number {
    return this.walk(Infinity, false);
  }

  /** Brings up to `perStep` rows (all of them with `all`) to their target; true when done. */
  step(all = false): boolean {
    this.walk(all ? Infinity : this.perStep, true);
    return this.pending() === 0;
  }

  /** The rows to render: those brought to the target, in its order, then the rest as they were shown. */
  view(): T[] {
    return this.order;
  }

  /**
   * Walks the target in order, taking each row while `budget` allows (a row in place and up to
   * date is free), and returns what the rows taken cost. With `apply`, the rows taken are shown and
   * lead the order, followed by the rows not reached, in their previous order.
   */
  private walk(budget: number, apply: boolean): number {
    const taken = new Set<string>();
    const lead: T[] = [];
    let spent = 0;
    let at = 0;
    for (const row of this.target) {
      while (at < this.order.length && taken.has(this.order[at]!.id)) at += 1;
      const inPlace = at < this.order.length && this.order[at]!.id === row.id;
      const cost = inPlace && this.shown.get(row.id) === row ? 0 : 1;
      if (spent + cost > budget) break;
      spent += cost;
      taken.add(row.id);
      lead.push(row);
      if (inPlace) at += 1;
    }
    if (apply) {
      for (const row of lead) this.shown.set(row.id, row);
      this.order = [...lead, ...this.order.filter((row) => !taken.has(row.id))];
    }
    return spent;
  }
}
