import { derivedAbbreviations, tileLabels, type LabelSite } from './abbreviate.ts';
import { TILE_EM } from './map-layout.ts';

/** The font size texts are measured at; any other size scales their widths. */
export const MEASURE_PX = 100;
/**
 * Room kept when a width measured at `MEASURE_PX` is scaled to the label's font: glyph advances
 * scale with the size, within a few hundredths of a percent in Chromium (measured): 1 % is ample.
 */
const SCALE_MARGIN = 0.01;

/** The tile labels at one font: what each tile says, and which labels are cut at the tile's edge. */
export interface FittedLabels {
  labels: Map<string, string>;
  clipped: Set<string>;
}

/**
 * Fits the sites' names to their tiles at any font of the map: `measure(text)` (a text's width at
 * `MEASURE_PX`) is asked once per text, names and abbreviations alike, and the labels of each
 * (font, tile width) are kept, the last few of them: a failover's banner resizes the map and
 * its return resizes it back, and neither measures anything again.
 */
export function labelFitter(sites: readonly LabelSite[], measure: (text: string) => number, keep = 4) {
  const derived = derivedAbbreviations(sites);
  const widths = new Map<string, number>();
  const width = (text: string) => {
    let w = widths.get(text);
    if (w === undefined) {
      w = measure(text);
      widths.set(text, w);
    }
    return w;
  };
  const fitted = new Map<string, FittedLabels>();
  return (font: number, widthEm: number): FittedLabels => {
    const key = `${font}:${widthEm}`;
    const known = fitted.get(key);
    if (known) return known;
    const room = font * (widthEm - TILE_EM.chrome);
    const fits = (text: string) => (width(text) * font * (1 + SCALE_MARGIN)) / MEASURE_PX <= room;
    const labels = tileLabels(sites, fits, derived);
    // Tiles do not clip (a clip per tile made every frame's compositing walk 500 of them): only a
    // label too wide even as its abbreviation is cut, at its tile's edge. A name is shown because
    // it fits: only an abbreviation is measured again.
    const clipped = new Set(sites.filter((s) => labels.get(s.id) !== s.name && !fits(labels.get(s.id)!)).map((s) => s.id));
    const result = { labels, clipped };
    if (fitted.size >= keep) fitted.delete(fitted.keys().next().value!);
    fitted.set(key, result);
    return result;
  };
}
