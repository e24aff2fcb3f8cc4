import { expect, type Page } from '@playwright/test';
import { SERVICE_KEYS, type LiveState } from '@hqwatch/shared';

/** Sites that lost telephony, video, voicemail or intersite calls: the map must show each one. */
export function impactedSites(state: LiveState): Map<string, string> {
  const own = SERVICE_KEYS.filter((k) => ['telephony', 'video', 'voicemail', 'drsIntersite'].includes(k));
  return new Map(state.sites.filter((s) => own.some((k) => s.services[k].status === 'down')).map((s) => [s.id, s.name]));
}

export interface TileSeen {
  id: string;
  label: string;
  aria: string;
  kind: string;
  fontPx: number;
  /** Entirely inside the viewport, not hidden, its label not cut. */
  readable: boolean;
}

/** The tiles of the map page on screen. */
export function tilesOnScreen(page: Page): Promise<{ page: number; pages: number; tiles: TileSeen[] }> {
  return page.evaluate(() => {
    const indicator = document.querySelector<HTMLElement>('[data-testid="wall-map-page"]');
    const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="wall-map"] .tile')].map((el) => {
      const r = el.getBoundingClientRect();
      const label = el.querySelector<HTMLElement>('.label')!;
      const inside = r.left >= 0 && r.top >= 0 && r.right <= window.innerWidth + 0.5 && r.bottom <= window.innerHeight + 0.5 && r.width > 0;
      const style = getComputedStyle(el);
      return {
        id: el.dataset.site!,
        label: label.textContent ?? '',
        aria: el.getAttribute('aria-label') ?? '',
        kind: el.dataset.kind ?? '',
        fontPx: parseFloat(style.fontSize),
        readable: inside && style.visibility !== 'hidden' && label.scrollWidth <= label.clientWidth + 1,
      };
    });
    return { page: Number(indicator?.dataset.page ?? 1), pages: Number(indicator?.dataset.pages ?? 1), tiles };
  });
}

/**
 * Watches the map through its rotation pages (at most `withinMs`) and returns every tile seen
 * readable on screen, with the pages seen.
 */
export async function collectPages(
  page: Page,
  withinMs: number,
): Promise<{ seen: Map<string, TileSeen>; pages: number; pagesSeen: Set<number>; tookMs: number }> {
  const seen = new Map<string, TileSeen>();
  const pagesSeen = new Set<number>();
  const start = Date.now();
  let pages = 1;
  for (;;) {
    const shot = await tilesOnScreen(page);
    pages = shot.pages;
    pagesSeen.add(shot.page);
    for (const tile of shot.tiles) if (tile.readable) seen.set(tile.id, tile);
    if (pagesSeen.size >= pages || Date.now() - start > withinMs) break;
    // The next page: wait on the indicator, never a fixed sleep.
    await page.waitForFunction(
      (current) => document.querySelector<HTMLElement>('[data-testid="wall-map-page"]')?.dataset.page !== String(current),
      shot.page,
      {
        timeout: withinMs,
      },
    );
  }
  return { seen, pages, pagesSeen, tookMs: Date.now() - start };
}

/**
 * Waits until the map is drawn: its groups are on screen and no new layout or page is still being
 * drawn a few groups per frame (the box says `data-staging` meanwhile).
 */
export async function mapDrawn(page: Page): Promise<void> {
  await expect(page.locator('[data-testid="wall-map"] [data-group]').first()).toBeAttached();
  await expect(page.locator('[data-testid="wall-map"] .box[data-staging]')).toHaveCount(0);
}
