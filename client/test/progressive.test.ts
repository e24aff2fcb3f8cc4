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

  it('keeps showing the old version of a changed row until its slice comes, in the new order at once', () => {
    const rows = new ProgressiveRows<{ id: string; v: number }>(1);
    const [a, b] = [row('a'), row('b')];
    rows.setTarget([a, b]);
    rows.step(true);
    const [a2, b2] = [row('a', 2), row('b', 2)];
    expect(rows.setTarget([b2, a2])).toBe(false);
    expect(rows.pending()).toBe(2);
    expect(rows.view()).toEqual([b, a]);
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
