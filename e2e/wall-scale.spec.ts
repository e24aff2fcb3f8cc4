import { test as base, expect } from '@playwright/test';
import { Harness } from './harness.ts';
import { collectPages, impactedSites } from './wall-map.ts';

const ARTIFACTS = 'e2e/artifacts';

/** The largest topology (HQ pair, 20 distributed servers, 500 sites), on its own loopback octet. */
const test = base.extend<{ hq: Harness }>({
  // eslint-disable-next-line no-empty-pattern
  hq: async ({}, use) => {
    const harness = new Harness({ octet: 196, topology: 'largest' });
    await harness.startServer();
    await harness.waitForState((s) => s.hq.state === 'primary-active' && s.nodes.every((n) => n.status !== 'unknown'), 30_000);
    await use(harness);
    await harness.dispose();
  },
});

test('the largest system in a failover: every impacted site is on the wall at 4K at once, at 1080p within 30 s of pages', async ({
  page,
  hq,
}) => {
  test.setTimeout(120_000);
  await hq.setNode('primary', 'stopped');
  const state = await hq.waitForState((s) => s.hq.state === 'failing-over');
  const impacted = impactedSites(state);
  expect(impacted.size).toBeGreaterThanOrEqual(300);

  for (const [name, width, height] of [
    ['wall-4k-500-sites', 3840, 2160],
    ['wall-1080p-500-sites', 1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(`${hq.baseURL}/wall`);
    await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'failing-over');
    await expect(page.locator('[data-testid="wall-map"] .tile')).not.toHaveCount(0);
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });

    const { seen, pages, pagesSeen, tookMs } = await collectPages(page, 35_000);
    const missing = [...impacted].filter(([id]) => !seen.has(id));
    expect(missing, `${name}: impacted sites never readable on screen`).toEqual([]);
    expect(pagesSeen.size, `${name}: pages seen`).toBe(pages);
    expect(tookMs, `${name}: time to show every page`).toBeLessThanOrEqual(30_000);
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
    const vmin = Math.min(width, height);
    const smallest = Math.min(...[...seen.values()].map((t) => t.fontPx));
    expect(smallest, `${name}: tile labels meet tier B`).toBeGreaterThanOrEqual(Math.max(16, 0.01 * vmin) - 0.5);
    const { x, y } = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(x, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    expect(y, `${name} scrolls down`).toBeLessThanOrEqual(0);
  }
});
