import { describe, expect, it } from 'vitest';
import { PAGE_ROWS, moveInGrid } from '../src/sites/grid-keys.ts';

describe('moveInGrid: keyboard navigation of the site matrix', () => {
  const at = { row: 5, col: 3 };
  it.each([
    ['ArrowRight', false, { row: 5, col: 4 }],
    ['ArrowLeft', false, { row: 5, col: 2 }],
    ['ArrowDown', false, { row: 6, col: 3 }],
    ['ArrowUp', false, { row: 4, col: 3 }],
    ['Home', false, { row: 5, col: 0 }],
    ['End', false, { row: 5, col: 7 }],
    ['Home', true, { row: 0, col: 0 }],
    ['End', true, { row: 49, col: 7 }],
    ['PageDown', false, { row: 5 + PAGE_ROWS, col: 3 }],
    ['PageUp', false, { row: 0, col: 3 }],
  ])('%s (ctrl %s)', (key, ctrl, to) => {
    expect(moveInGrid(at, key, ctrl, 50, 8)).toEqual(to);
  });

  it('stays inside the grid at its edges', () => {
    expect(moveInGrid({ row: 0, col: 0 }, 'ArrowUp', false, 3, 8)).toEqual({ row: 0, col: 0 });
    expect(moveInGrid({ row: 2, col: 7 }, 'ArrowRight', false, 3, 8)).toEqual({ row: 2, col: 7 });
  });

  it('leaves other keys to the browser', () => {
    expect(moveInGrid(at, 'Tab', false, 50, 8)).toBeNull();
    expect(moveInGrid(at, 'a', false, 50, 8)).toBeNull();
  });
});
