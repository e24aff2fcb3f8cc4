/**
 * Where the wall's site map puts its tiles: the home-server groups packed as blocks of tiles on
 * shelves, on as few pages as the box allows, with the largest label font that fits. Pure: sizes in
 * and positions out, so it is computed once per size and group counts, never per update.
 */

/** Tile geometry in em of the label font (the component's CSS uses the same numbers). */
export const TILE_EM = {
  /** The narrowest tile, for an abbreviation of up to 4 characters; wider ones where the screen allows. */
  width: 4.6,
  height: 1.5,
  gap: 0.2,
  /** What the padding, border, glyph and the space after it take of a tile's width. */
  chrome: 1.7,
  header: 1.35,
  groupGap: 0.8,
  /** Narrowest group block: room for a server's name and its count. */
  minBlock: 6.5,
} as const;

export interface MapBox {
  width: number;
  height: number;
}

export interface GroupCount {
  id: string;
  count: number;
}

export interface MapOptions {
  /** Largest label font, px. */
  maxFont: number;
  /** Smallest label font the readability rule allows, px. */
  minFont: number;
  /** Most pages; when `minFont` needs more, the font goes below it, down to `floorFont`. */
  maxPages: number;
  floorFont: number;
}

/** Part of a group on one page: sites `from` to `to` (exclusive) in `cols` columns, at (x, y) px. */
export interface MapBlock {
  group: string;
  from: number;
  to: number;
  cols: number;
  x: number;
  y: number;
  width: number;
  /** The group began on an earlier shelf or page. */
  continued: boolean;
}

/** Tile widths tried, widest first: names fit in the wider ones, abbreviations in the narrowest. */
const WIDTHS_EM = [10, 7, TILE_EM.width] as const;
/** A wider tile is taken only with a label font at least this share of the largest. */
const WIDE_FONT_SHARE = 0.6;

export interface MapLayout {
  font: number;
  /** Tile width in em of the font. */
  widthEm: number;
  tile: { width: number; height: number; gap: number };
  header: number;
  pages: MapBlock[][];
}

interface Shaped {
  group: string;
  from: number;
  to: number;
  cols: number;
  width: number;
  continued: boolean;
}

/** The groups cut in blocks of `rows` rows, at most `maxCols` wide. */
function shape(groups: readonly GroupCount[], rows: number, maxCols: number, tileStep: number, gap: number, minBlock: number): Shaped[] {
  const out: Shaped[] = [];
  for (const g of groups) {
    const perBlock = rows * maxCols;
    for (let from = 0; from < g.count; from += perBlock) {
      const to = Math.min(g.count, from + perBlock);
      const cols = Math.ceil((to - from) / rows);
      out.push({ group: g.id, from, to, cols, width: Math.max(cols * tileStep - gap, minBlock), continued: from > 0 });
    }
  }
  return out;
}

/** Blocks on shelves of one height, shelves on pages; null when a block cannot fit at all. */
function pack(blocks: Shaped[], box: MapBox, blockHeight: number, groupGap: number): MapBlock[][] | null {
  const shelvesPerPage = Math.floor((box.height + groupGap) / (blockHeight + groupGap));
  if (shelvesPerPage < 1) return null;
  const pages: MapBlock[][] = [[]];
  let shelf = 0;
  let x = 0;
  for (const b of blocks) {
    if (b.width > box.width) return null;
    if (x > 0 && x + b.width > box.width) {
      shelf += 1;
      x = 0;
    }
    if (shelf === shelvesPerPage) {
      pages.push([]);
      shelf = 0;
    }
    pages[pages.length - 1]!.push({ ...b, x, y: shelf * (blockHeight + groupGap) });
    x += b.width + groupGap;
  }
  return pages;
}

/**
 * Pages and height used on the last page when the blocks of `rows` rows are packed: the same walk
 * as `pack`, counting only, so trying every row count costs no allocation.
 */
function measure(groups: readonly GroupCount[], rows: number, maxCols: number, g: Geometry): { pages: number; used: number } | null {
  const shelvesPerPage = Math.floor((g.box.height + g.groupGap) / (g.blockHeight + g.groupGap));
  if (shelvesPerPage < 1) return null;
  let pages = 1;
  let shelf = 0;
  let x = 0;
  const perBlock = rows * maxCols;
  for (const group of groups) {
    for (let from = 0; from < group.count; from += perBlock) {
      const width = Math.max(Math.ceil((Math.min(group.count, from + perBlock) - from) / rows) * g.step - g.gap, g.minBlock);
      if (width > g.box.width) return null;
      if (x > 0 && x + width > g.box.width) {
        shelf += 1;
        x = 0;
      }
      if (shelf === shelvesPerPage) {
        pages += 1;
        shelf = 0;
      }
      x += width + g.groupGap;
    }
  }
  return { pages, used: shelf * (g.blockHeight + g.groupGap) + g.blockHeight };
}

interface Geometry {
  box: MapBox;
  step: number;
  gap: number;
  groupGap: number;
  minBlock: number;
  blockHeight: number;
}

/** The best packing at font `font`: fewest pages, then the least height used on the last page. */
function layoutAt(box: MapBox, groups: readonly GroupCount[], font: number, widthEm: number = TILE_EM.width): MapLayout | null {
  const tile = { width: font * widthEm, height: font * TILE_EM.height, gap: font * TILE_EM.gap };
  const header = font * TILE_EM.header;
  const groupGap = font * TILE_EM.groupGap;
  const step = tile.width + tile.gap;
  const maxCols = Math.floor((box.width + tile.gap) / step);
  const maxRows = Math.floor((box.height - header + tile.gap) / (tile.height + tile.gap));
  if (maxCols < 1 || maxRows < 1) return null;
  const geometry = (rows: number): Geometry => ({
    box,
    step,
    gap: tile.gap,
    groupGap,
    minBlock: font * TILE_EM.minBlock,
    blockHeight: header + rows * (tile.height + tile.gap) - tile.gap,
  });
  let best: { rows: number; score: number } | null = null;
  for (let rows = 1; rows <= maxRows; rows++) {
    const m = measure(groups, rows, maxCols, geometry(rows));
    if (!m) continue;
    const score = m.pages * 1e7 + m.used;
    if (!best || score < best.score) best = { rows, score };
  }
  if (!best) return null;
  const g = geometry(best.rows);
  const pages = pack(shape(groups, best.rows, maxCols, step, tile.gap, g.minBlock), box, g.blockHeight, groupGap);
  return pages && { font, widthEm, tile, header, pages };
}

/**
 * The largest font on the half-pixel grid from `high` down to `low` whose layout satisfies `ok`,
 * by bisection: fewer pages never come with a larger font, so the test is monotonic.
 */
function largest(
  box: MapBox,
  groups: readonly GroupCount[],
  low: number,
  high: number,
  ok: (l: MapLayout) => boolean,
  widthEm: number = TILE_EM.width,
): MapLayout | null {
  let lo = Math.ceil(low * 2);
  let hi = Math.floor(high * 2);
  let found: MapLayout | null = null;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    const layout = layoutAt(box, groups, mid / 2, widthEm);
    if (layout && ok(layout)) {
      found = layout;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The layout of `groups` in `box`: the widest tiles (names fit) that show everything on one page
 * with a large font; else the narrow tile with the largest font down to `minFont` (in half pixels)
 * that shows everything on one page; else `minFont` on several pages, or, when that takes
 * more than `maxPages`, the largest font down to `floorFont` that needs no more.
 */
export function planMap(box: MapBox, groups: readonly GroupCount[], options: MapOptions): MapLayout | null {
  if (box.width <= 0 || box.height <= 0) return null;
  const onePage = (l: MapLayout) => l.pages.length === 1;
  for (const widthEm of WIDTHS_EM.slice(0, -1)) {
    const wide = largest(box, groups, Math.max(options.minFont, options.maxFont * WIDE_FONT_SHARE), options.maxFont, onePage, widthEm);
    if (wide) return wide;
  }
  const narrow = largest(box, groups, options.minFont, options.maxFont, onePage);
  if (narrow) return narrow;
  const atMin = layoutAt(box, groups, options.minFont);
  if (atMin && atMin.pages.length <= options.maxPages) return atMin;
  return (
    largest(box, groups, options.floorFont, options.minFont, (l) => l.pages.length <= options.maxPages) ??
    atMin ??
    layoutAt(box, groups, options.floorFont)
  );
}
