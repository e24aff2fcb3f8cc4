/**
 * What a site tile says when the site's name does not fit (README "What you see", the wall):
 *
 * 1. the name itself, when it fits;
 * 2. else the site's configured `short` (`sites[].short`, up to 6 characters);
 * 3. else a derived abbreviation: the initials of its words, its numbers kept whole
 *    ("Site 123" → "S123", "New York Midtown" → "NYM", "Denver 2" → "D2"); a one-word name gives
 *    its first three letters ("Boston" → "BOS");
 * 4. a derived abbreviation that two sites share gets a number after the first ("BOS", "BOS2").
 *
 * The tile's accessible label always carries the full name.
 */
export function deriveAbbreviation(name: string): string {
  const words =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .match(/[\p{L}]+|\d+/gu) ?? [];
  if (!words.length) return name.slice(0, 4);
  if (words.length === 1) return /^\d/.test(words[0]!) ? words[0]! : words[0]!.slice(0, 3).toUpperCase();
  return words.map((w) => (/^\d/.test(w) ? w : w[0]!.toUpperCase())).join('');
}

export interface LabelSite {
  id: string;
  name: string;
  short?: string;
}

/**
 * The derived abbreviation of every site without a configured `short`, by id, made unique over
 * all `sites` (a number after the first of a shared one), so one stays the same whichever page or
 * screen size shows it. It does not depend on the font: computed once per list of names.
 */
export function derivedAbbreviations(sites: readonly LabelSite[]): Map<string, string> {
  const derived = new Map<string, string>();
  const taken = new Map<string, number>();
  for (const site of sites) {
    if (site.short) continue;
    const base = deriveAbbreviation(site.name);
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    derived.set(site.id, n === 1 ? base : `${base}${n}`);
  }
  return derived;
}

/** The label of every site's tile, by id: the name where `fits(name)`, else its abbreviation as above. */
export function tileLabels(
  sites: readonly LabelSite[],
  fits: (text: string) => boolean,
  derived: ReadonlyMap<string, string> = derivedAbbreviations(sites),
): Map<string, string> {
  const labels = new Map<string, string>();
  for (const site of sites) labels.set(site.id, fits(site.name) ? site.name : (site.short ?? derived.get(site.id)!));
  return labels;
}
