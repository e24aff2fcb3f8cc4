/**
 * Keeps whatever scrolls into view (keyboard focus, a site in the matrix) below the sticky banner of
 * `px` pixels: the root's own scroll-padding, never a custom property on the root. Custom properties
 * inherit, so changing one on the root restyles every element of the page (thousands with 500 sites)
 * each time the banner comes or goes; scroll-padding does not inherit and restyles the root alone.
 */
export function keepBelowBanner(root: HTMLElement, px: number): void {
  root.style.scrollPaddingTop = `calc(${Math.ceil(px)}px + 0.5rem)`;
}
