import { describe, expect, it } from 'vitest';
import { ProgressiveRows } from '../src/sites/progressive.ts';

const row = (id: string, v = 1) => ({ id, v });

describe('ProgressiveRows: a large change rendered a slice at a time', () => {
  it('shows new rows a slice per step, in the target order', () => {
    const rows = new ProgressiveRows<{ id: string; v: number }>(2);
    rows.setTarget([row('a'), row('b'), row('c'), row('d'), row('e')]);
    expect(rows.view()).toEqual([]);
    expect(rows.step()).toBe(false);
    expect(rows.view().map((r) => r.id)).toEqual(['a', 'b']);
    rows.step();
    expect(rows.step()).toBe(true);
    expect(rows.view().map((r) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps showing the old version of a changed row, where it was, until its slice comes', () => {
    const rows = new ProgressiveRows<{ id: string; v: number }>(1);
    const [a, b] = [row('a'), row('b')];
    rows.setTarget([a, b]);
    rows.step(true);
    const [a2, b2] = [row('a', 2), row('b', 2)];
    expect(rows.setTarget([b2, a2])).toBe(false);
    expect(rows.pending()).toBe(2);
    expect(rows.view()).toEqual([a, b]);
    rows.step();
    expect(rows.view()).toEqual([b2, a]);
    rows.step();
    expect(rows.view()).toEqual([b2, a2]);
  });

  it('drops rows that left the target at once, and reports nothing pending when unchanged', () => {
    const rows = new ProgressiveRows<{ id: string; v: number }>(10);
    const [a, b] = [row('a'), row('b')];
    rows.setTarget([a, b]);
    rows.step();
    expect(rows.setTarget([b])).toBe(true);
    expect(rows.view()).toEqual([b]);
  });
});

/**
 * The rows a keyed renderer (Vue's) moves to turn `before` into `after`: those outside the longest
 * run of rows that keep their relative order. The browser restyles and lays out each moved row again.
 */
function moves(before: readonly { id: string }[], after: readonly { id: string }[]): number {
  const at = new Map(before.map((r, i) => [r.id, i]));
  const positions = after.map((r) => at.get(r.id)).filter((i): i is number => i !== undefined);
  const tails: number[] = [];
  for (const p of positions) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tails[mid]! < p) lo = mid + 1;
      else hi = mid;
    }
    tails[lo] = p;
  }
  return positions.length - tails.length;
}

describe('ProgressiveRows: a failover re-sorting 500 sites', () => {
  const sites = (v: number) => Array.from({ length: 500 }, (_, i) => ({ id: `site-${String(i).padStart(3, '0')}`, v }));

  it('moves and changes at most a slice of rows per step, the new first rows first, until the new order is reached', () => {
    const rows = new ProgressiveRows<{ id: string; v: number }>(40);
    rows.setTarget(sites(1));
    rows.step(true);
    // Every site changes and the order turns over (the impacted ones sort first).
    const target = sites(2).reverse();
    let before = rows.view();
    rows.setTarget(target);
    // Until the first step, the rows stay as they were.
    expect(moves(before, rows.view())).toBe(0);
    let steps = 0;
    let done = false;
    while (!done) {
      done = rows.step();
      steps += 1;
      const after = rows.view();
      const changed = after.filter((row, i) => row !== before[i] && row.v === 2 && before.find((b) => b.id === row.id)?.v === 1).length;
      expect(moves(before, after)).toBeLessThanOrEqual(40);
      expect(changed).toBeLessThanOrEqual(40);
      expect(after.slice(0, Math.min(40 * steps, 500))).toEqual(target.slice(0, Math.min(40 * steps, 500)));
      before = after;
    }
    expect(steps).toBe(Math.ceil(500 / 40));
    expect(rows.view()).toEqual(target);
  });

  it('changes rows in place, without moving any, when the order stays', () => {
    const rows = new ProgressiveRows<{ id: string; v: number }>(40);
    rows.setTarget(sites(1));
    rows.step(true);
    const before = rows.view();
    rows.setTarget(sites(2));
    rows.step();
    expect(moves(before, rows.view())).toBe(0);
    expect(rows.view().filter((r) => r.v === 2)).toHaveLength(40);
    expect(rows.pending()).toBe(460);
  });
});
