import { test, expect } from './fixtures.ts';
import { TcpProxy } from './tcp-proxy.ts';

const ARTIFACTS = 'e2e/artifacts';

test('a tile that just changed is marked: a pulsing ring, a steady one for viewers who ask for less motion', async ({ page, hq }) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${hq.baseURL}/wall`);
  const tile = page.locator('[data-testid="wall-map"] .tile[data-site="seattle"]');
  await expect(tile).toHaveAttribute('data-kind', 'ok');
  await expect(tile).not.toHaveAttribute('data-changed');
  // A wall that starts marks nothing: only what changes while it watches.
  await expect(page.locator('[data-testid="wall-map"] .tile[data-changed]')).toHaveCount(0);

  await hq.setNode('primary', 'stopped');
  await expect(tile).toHaveAttribute('data-kind', 'telephony');
  await expect(tile).toHaveAttribute('data-changed', 'true');
  await expect(tile).toHaveAttribute('aria-label', /Seattle.*No CM telephony, changed in the last minute/);
  await expect(page.getByTestId('wall-changed-count')).toContainText('changed in the last minute');
  // Toronto (users on HQ) is named on the map with its group's losses beside it.
  await expect(page.getByTestId('group-loss-hq').locator('[data-loss="telephony"]')).not.toHaveAttribute('data-sites', '0');
  expect(await tile.evaluate((el) => getComputedStyle(el).animationName)).not.toBe('none');
  expect(await tile.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await page.screenshot({ path: `${ARTIFACTS}/wall-1080p-changed.png` });

  await page.emulateMedia({ reducedMotion: 'reduce' });
  expect(await tile.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  expect(await tile.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
});

test('the network drops for minutes and comes back: the wall says DATA STALE, keeps trying, then recovers by itself', async ({
  page,
  hq,
}) => {
  const port = Number(new URL(hq.baseURL).port);
  const proxy = new TcpProxy({ host: '127.0.0.1', port });
  await proxy.start();
  // The page's own clock (timers, Date) is one the test can run forward: the drop lasts minutes for
  // the wall, its back-off, its connection time-outs and its staleness, without the test waiting them.
  await page.clock.install();
  try {
    await page.goto(`${proxy.url}/wall`);
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
    await expect(page.locator('[data-testid="wall-map"] .tile')).toHaveCount(12);

    proxy.drop();
    await expect(page.getByTestId('stale-overlay')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');
    // While the wall is cut off, HQ fails over: the wall must show it once the network is back.
    await hq.setNode('primary', 'stopped');
    await hq.waitForState((s) => s.hq.state === 'failing-over');
    // Several reconnection attempts go into the void (the client's back-off reaches its 5 s cap).
    await expect
      .poll(() => page.evaluate(() => document.querySelector('[data-testid="connection-status"]')?.textContent ?? ''), { timeout: 20_000 })
      .toMatch(/attempt [3-9]|attempt \d\d/i);
    const staleSince = await page.getByTestId('stale-overlay').locator('.title').textContent();
    // Five minutes more of the network gone, as the page lives them: every back-off and connection
    // time-out in them fires. It never gives up (the back-off stays at its 5 s cap) and still says
    // since when its data is stale, not "just now".
    await page.clock.runFor('05:00');
    const attempt = Number(/attempt (\d+)/i.exec((await page.getByTestId('connection-status').textContent()) ?? '')?.[1] ?? Number.NaN);
    expect(attempt).toBeGreaterThanOrEqual(20);
    await expect(page.getByTestId('stale-overlay').locator('.title')).toHaveText(staleSince ?? '');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');

    proxy.restore();
    await expect(page.getByTestId('stale-overlay')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
    await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'failing-over');
    await expect(page.locator('[data-testid="wall-map"] .tile[data-site="seattle"]')).toHaveAttribute('data-kind', 'telephony');
  } finally {
    await proxy.close();
  }
});
