import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { mapDrawn } from './wall-map.ts';

const ARTIFACTS = 'e2e/artifacts';

/** The wall fits its screen: nothing to scroll, nothing cut off sideways. */
async function overflow(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => ({
    x: document.documentElement.scrollWidth - window.innerWidth,
    y: document.documentElement.scrollHeight - window.innerHeight,
  }));
}

async function fontPx(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
}

test('killing the server shows DATA STALE; restarting it clears the overlay and shows the current state', async ({ page, hq }) => {
  await page.goto(`${hq.baseURL}/wall`);
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await expect(page.getByTestId('stale-overlay')).toHaveCount(0);

  await hq.setNode('primary', 'stopped');
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'failing-over');

  await hq.stopServer();
  const overlay = page.getByTestId('stale-overlay');
  await expect(overlay).toBeVisible();
  await expect(overlay).toContainText(/DATA STALE since \d\d:\d\d:\d\d/);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');
  await page.screenshot({ path: `${ARTIFACTS}/wall-stale.png` });

  await hq.startServer();
  await expect(overlay).toHaveCount(0, { timeout: 20_000 });
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
  // The restarted lab serves the primary again: the wall must follow whatever the server now says.
  await expect
    .poll(async () => (await page.getByTestId('hq-state').getAttribute('data-state')) === (await hq.state()).hq.state, { timeout: 20_000 })
    .toBe(true);
});

test('the wall is dark, has no controls and fits 1080p and 4K screens, landscape and portrait', async ({ page, hq }) => {
  await hq.setNode('primary', 'stopped');
  await hq.waitForState((s) => s.hq.state === 'failing-over');
  const sizes = [
    ['wall-1080p', 1920, 1080],
    ['wall-4k', 3840, 2160],
    ['wall-1080p-portrait', 1080, 1920],
    ['wall-4k-portrait', 2160, 3840],
  ] as const;
  const stateSizes: number[] = [];
  for (const [name, width, height] of sizes) {
    await page.setViewportSize({ width, height });
    await page.goto(`${hq.baseURL}/wall`);
    await expect(page.getByTestId('banner')).toBeVisible();
    await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'failing-over');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('navigation')).toHaveCount(0);
    await expect(page.getByRole('button')).toHaveCount(0);
    const { x, y } = await overflow(page);
    expect(x, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    expect(y, `${name} scrolls down`).toBeLessThanOrEqual(0);
    for (const id of ['hq-state', 'banner-elapsed', 'connection-status']) await expect(page.getByTestId(id)).toBeInViewport();
    stateSizes.push(await fontPx(page, 'hq-state'));
    await mapDrawn(page);
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  }
  // Readable from 5 m: the HQ state is at least 70 px tall on a 1080p screen, and scales with it.
  expect(stateSizes[0]).toBeGreaterThanOrEqual(70);
  expect(stateSizes[1]).toBeGreaterThanOrEqual(stateSizes[0]! * 1.8);
});

test('the wall rotates between the views named in its URL', async ({ page, hq }) => {
  await page.goto(`${hq.baseURL}/wall?rotate=5s&views=overview,sites`);
  const wall = page.locator('.wall-view');
  await expect(wall).toHaveAttribute('data-pane', 'overview');
  await expect(wall).toHaveAttribute('data-pane', 'sites', { timeout: 8000 });
  await expect(wall).toHaveAttribute('data-pane', 'overview', { timeout: 8000 });
});

test('the wall shows the standby: ready, then not ready when the secondary dies', async ({ page, hq }) => {
  await page.goto(`${hq.baseURL}/wall`);
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await expect(page.getByTestId('hq-standby')).toHaveAttribute('data-standby', 'ready');
  await expect(page.getByTestId('hq-standby')).toContainText('HQ secondary');
  await expect(page.getByTestId('wall-standby')).toHaveText(/Standby: Ready/);
  await expect(page.getByTestId('node-secondary').getByTestId('wall-standby')).toBeVisible();

  await hq.setNode('secondary', 'down');
  await expect(page.getByTestId('hq-standby')).toHaveAttribute('data-standby', 'not-ready');
  await expect(page.getByTestId('wall-standby')).toHaveText(/Standby: Not ready/);
  await expect(page.getByTestId('node-secondary')).toHaveAttribute('data-status', 'down');
  // Nothing is lost: still the primary, no incident banner.
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await page.screenshot({ path: `${ARTIFACTS}/wall-standby-lost.png` });
});

test('split brain on the wall and in the matrix: sites are at risk, in words, never plain green', async ({ page, hq }) => {
  await page.goto(`${hq.baseURL}/wall`);
  await expect(page.getByTestId('wall-calm')).toHaveAttribute('data-tone', 'ok');
  await hq.setNode('secondary', 'serving');
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'dual-active');
  await expect(page.getByTestId('wall-calm')).toHaveAttribute('data-tone', 'warn');
  await expect(page.getByTestId('wall-calm')).toContainText('At risk:');
  await expect(page.getByTestId('wall-calm')).toContainText('both HQ servers claim to be HQ');

  await page.goto(hq.baseURL);
  const cell = page.getByTestId('site-cell-hq-telephony');
  await expect(cell).toHaveAttribute('data-risk', 'true');
  await expect(cell).toContainText('At risk');
  await expect(cell).toHaveClass(/tone-warn/);
  await expect(page.getByTestId('banner')).toContainText('computed on the assumption that HQ services are answered');
});
