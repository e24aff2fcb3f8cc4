export interface GridPosition {
  row: number;
  col: number;
}

/** Rows skipped by Page Up / Page Down. */
export const PAGE_ROWS = 10;

/**
 * Where a key moves the cursor of a grid of `rows` × `cols` cells (WAI-ARIA grid pattern), or null
 * when the key is not a grid key. The cursor never leaves the grid.
 */
export function moveInGrid(at: GridPosition, key: string, ctrl: boolean, rows: number, cols: number): GridPosition | null {
  if (rows === 0 || cols === 0) return null;
  const clamp = (row: number, col: number) => ({ row: Math.min(rows - 1, Math.max(0, row)), col: Math.min(cols - 1, Math.max(0, col)) });
  switch (key) {
    case 'ArrowRight':
      return clamp(at.row, at.col + 1);
    case 'ArrowLeft':
      return clamp(at.row, at.col - 1);
    case 'ArrowDown':
      return clamp(at.row + 1, at.col);
    case 'ArrowUp':
      return clamp(at.row - 1, at.col);
    case 'PageDown':
      return clamp(at.row + PAGE_ROWS, at.col);
    case 'PageUp':
      return clamp(at.row - PAGE_ROWS, at.col);
    case 'Home':
      return ctrl ? clamp(0, 0) : clamp(at.row, 0);
    case 'End':
      return ctrl ? clamp(rows - 1, cols - 1) : clamp(at.row, cols - 1);
    default:
      return null;
  }
}
