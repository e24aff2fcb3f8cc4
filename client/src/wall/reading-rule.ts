/**
 * The wall's readability rule (README "What you see"): character height by visual angle, as
 * ISO 9241-303 and ANSI/HFES 100 state it: at least 16 minutes of arc, 20–22 preferred.
 *
 * Reference wall: a 4K screen 2.4 m wide and 1.35 m tall (a 110″ panel, or 2×2 55″ panels), the
 * NOC 5 m away. 16′ at 5 m is a capital 23 mm tall: 1.7 % of the screen height. Capitals of the
 * wall's sans-serif (DejaVu Sans) are 0.73 em, so the font size is at least 2.4 % of the screen
 * height, 2.4 vmin, at 1080p as at 4K (the screen is the same size; only its pixels differ).
 *
 * - Tier A, read from 5 m (16′ at 5 m, 2.4 vmin): the HQ state, the banner, the servers' status
 *   words, the map's title and page indicator, the per-server losses' headings and totals.
 * - Tier B, read from 2.5 m (16′ at 2.5 m, 1.2 vmin, never below 16 px, under which glyphs lose their
 *   shape on a 1080p screen): the per-server losses' rows, the distributed servers' chips, the
 *   legend, and the site tile labels, which may go down to 1.0 vmin (16′ at 2.1 m) to keep every
 *   site on one screen. 500 names cannot all be 23 mm tall on one screen; from 5 m a tile is told
 *   by its colour, its glyph and its border (a tile is 1.6 em tall: 16′ at 5 m from 1.0 vmin up),
 *   and its name is read by whoever steps up. Where even that does not fit, the map turns pages.
 *
 * Contrast: text on the wall's tiles at least 7:1 (WCAG AAA), every tone of the dark theme at
 * least 4.5:1 on the wall's backgrounds, tile edges and the "changed" ring 3:1 against the page
 * (WCAG 1.4.11); test/theme-contrast.test.ts checks every pair.
 */
export const READING = {
  /** Tier A font size, in vmin. */
  tierA: 2.4,
  /** Tier B font size, in vmin, and its floor in px. */
  tierB: 1.2,
  tierBFloorPx: 16,
  /** The map's rotation pages at most (all within 30 s, each at least 10 s). */
  maxPages: 3,
  /** Largest site tile label, in vmin. */
  tileMax: 4,
  /** Smallest site tile label, in vmin (never below the tier B floor in px). */
  tileLabel: 1.0,
  /** Below the floor only on screens too small for 3 pages of the map at the floor. */
  emergencyPx: 12,
  /** Label fonts of the site map for a screen whose shorter side is `vmin` px. */
  tileFonts(vmin: number) {
    const minFont = Math.max(READING.tierBFloorPx, (READING.tileLabel * vmin) / 100);
    return {
      // A few sites get large tiles, readable from 5 m like tier A text.
      maxFont: Math.max(minFont, (READING.tileMax * vmin) / 100),
      minFont,
      maxPages: READING.maxPages,
      floorFont: Math.min(minFont, READING.emergencyPx),
    };
  },
} as const;
