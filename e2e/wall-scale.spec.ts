import { test as base, expect } from '@playwright/test';
import type { LiveState } from '@hqwatch/shared';
import { Harness } from './harness.ts';
import { collectPages, impactedSites, mapDrawn } from './wall-map.ts';

const ARTIFACTS = 'e2e/artifacts';

/**
 * The largest topology (HQ pair, 20 distributed servers, 500 sites) on its own loopback octet,
 * started once for this file and failed over: each test looks at the same failover.
 */
const test = base.extend<object, { failover: { hq: Harness; state: LiveState } }>({
  failover: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const hq = new Harness({ octet: 196, topology: 'largest' });
      await hq.startServer();
      await hq.waitForState((s) => s.hq.state === 'primary-active' && s.nodes.every((n) => n.status !== 'unknown'), 30_000);
      await hq.setNode('primary', 'stopped');
      const state = await hq.waitForState((s) => s.hq.state === 'failing-over');
      await use({ hq, state });
      await hq.dispose();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

for (const [name, width, height] of [
  ['wall-4k-500-sites', 3840, 2160],
  ['wall-1080p-500-sites', 1920, 1080],
] as const) {
  test(`${width}×${height}, the largest system in a failover: every impacted site is readable on screen${width === 3840 ? ' at once' : ' within 30 s of pages'}`, async ({
    page,
    failover: { hq, state },
  }) => {
    const impacted = impactedSites(state);
    expect(impacted.size).toBeGreaterThanOrEqual(300);
    await page.setViewportSize({ width, height });
    await page.goto(`${hq.baseURL}/wall`);
    await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'failing-over');
    await expect(page.locator('[data-testid="wall-map"] [data-group]').nth(1)).toBeAttached();
    await mapDrawn(page);
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

    const { seen, pages, pagesSeen, tookMs } = await collectPages(page, 35_000);
    const missing = [...impacted].filter(([id]) => !seen.has(id));
    expect(missing, 'impacted sites never readable on screen').toEqual([]);
    expect(pagesSeen.size, 'pages seen').toBe(pages);
    expect(tookMs, 'time to show every page').toBeLessThanOrEqual(30_000);
    if (width === 3840) expect(pages, 'at 4K the 500 sites fit one screen').toBe(1);
    for (const [id, fullName] of impacted) {
      const tile = seen.get(id)!;
      // The name itself, or its abbreviation with the full name in the accessible label.
      if (tile.label !== fullName) {
        expect(tile.aria, id).toContain(`${fullName} (${tile.label})`);
        expect(tile.label.length, id).toBeLessThanOrEqual(6);
      } else expect(tile.aria, id).toContain(fullName);
      expect(tile.kind, id).toMatch(/^(telephony|voicemail|intersite)$/);
    }
    // The readability rule (client/src/wall/reading-rule.ts): tile labels at least 1.0 vmin and 16 px.
    const vmin = Math.min(width, height);
    const smallest = Math.min(...[...seen.values()].map((t) => t.fontPx));
    expect(smallest, 'tile labels meet the rule').toBeGreaterThanOrEqual(Math.max(16, 0.01 * vmin) - 0.5);
    // Beside the map, the losses of every home server on screen, none cut off.
    const rows = page.locator('[data-testid^="group-loss-"]');
    for (const row of await rows.all()) await expect(row).toBeInViewport({ ratio: 1 });
    await expect(page.getByTestId('group-loss-hq').locator('[data-loss="telephony"]')).toHaveAttribute('data-sites', '100');
    const { x, y } = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(x, 'scrolls sideways').toBeLessThanOrEqual(0);
    expect(y, 'scrolls down').toBeLessThanOrEqual(0);
  });
}
