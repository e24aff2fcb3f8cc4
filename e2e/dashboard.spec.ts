import type { Page } from '@playwright/test';
import { SERVICE_KEYS, type LiveState } from '@hqwatch/shared';
import { test, expect } from './fixtures.ts';

const ARTIFACTS = 'e2e/artifacts';

/** Every site cell on the page, as `site-cell-<site>-<service>` → its status. */
async function cellsOnPage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      Array.from(document.querySelectorAll<HTMLElement>('[data-testid^="site-cell-"]')).map((cell) => [
        cell.dataset.testid!,
        cell.dataset.status ?? '',
      ]),
    ),
  );
}

function cellsOf(state: LiveState): Record<string, string> {
  return Object.fromEntries(
    state.sites.flatMap((site) => SERVICE_KEYS.map((key) => [`site-cell-${site.id}-${key}`, site.services[key].status])),
  );
}

async function openLive(page: Page, baseURL: string): Promise<void> {
  await page.goto(baseURL);
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
}

test('the failover banner appears within interval × failAfter + 2 s of the primary stopping, and its clock runs', async ({ page, hq }) => {
  await openLive(page, hq.baseURL);
  await expect(page.getByTestId('banner')).toHaveCount(0);

  const deadline = hq.intervalMs * hq.failAfter + 2000;
  const stoppedAt = Date.now();
  await hq.setNode('primary', 'stopped');
  const banner = page.getByTestId('banner');
  await expect(banner).toBeVisible({ timeout: deadline });
  expect(Date.now() - stoppedAt).toBeLessThanOrEqual(deadline);

  await expect(banner).toHaveAttribute('data-kind', 'failover');
  await expect(banner).toContainText(/Failover in progress — \d\d:\d\d elapsed — typically \d+–\d+ (min|s)/);
  await expect(banner).toContainText('Config changes, account codes and workgroups unavailable everywhere');
  await expect(page.getByTestId('node-primary')).toHaveAttribute('data-status', /down|reachable/);

  const elapsed = page.getByTestId('banner-elapsed');
  const first = await elapsed.textContent();
  await expect(elapsed).not.toHaveText(first!, { timeout: 2500 });
  await page.screenshot({ path: `${ARTIFACTS}/live-failover.png` });
});

test('while the secondary is active, the Call Manager instruction shows the secondary IP', async ({ page, hq }) => {
  await openLive(page, hq.baseURL);
  await hq.setNode('primary', 'stopped');
  await hq.setNode('secondary', 'serving');
  const state = await hq.waitForState((s) => s.hq.state === 'secondary-active');
  const secondary = state.nodes.find((node) => node.id === 'secondary')!;

  await expect(page.getByTestId('banner')).toHaveAttribute('data-kind', 'secondary-active');
  await expect(page.getByTestId('callmanager-address')).toHaveText(secondary.address);
  await expect(page.getByTestId('banner')).toContainText('Call Manager users');
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'secondary-active');
  await page.screenshot({ path: `${ARTIFACTS}/live-secondary-active.png` });
});

test('HQ down with a dead secondary: the banner says why and that no failover is possible; the failover resumes when it returns', async ({
  page,
  hq,
}) => {
  await openLive(page, hq.baseURL);
  const banner = page.getByTestId('banner');
  await expect(page.getByTestId('hq-standby')).toHaveAttribute('data-standby', 'ready');

  // The standby dies first: a warning of its own, nothing lost.
  await hq.setNode('secondary', 'down');
  await expect(banner).toHaveAttribute('data-kind', 'standby-lost');
  await expect(banner).toContainText('Standby not ready: the secondary HQ server does not answer');
  await expect(page.getByTestId('hq-standby')).toHaveAttribute('data-standby', 'not-ready');

  // Then the primary stops: no failover can complete onto a dead server.
  await hq.setNode('primary', 'stopped');
  await expect(banner).toHaveAttribute('data-kind', 'outage');
  await expect(banner.locator('.headline')).toHaveText('HQ down: primary stopped, secondary unreachable — no failover possible');
  await expect(banner).toContainText(/\d\d:\d\d elapsed/);
  await expect(banner).not.toContainText('typically');
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'hq-down');
  await expect(page.getByTestId('hq-cause')).toHaveAttribute('data-cause', 'target-down');
  await expect(page.getByTestId('callmanager-address')).toHaveCount(0);
  await expect(page.getByTestId('callmanager-after')).toHaveCount(0);
  await page.screenshot({ path: `${ARTIFACTS}/live-hq-down.png` });

  // The secondary's host comes back: the failover resumes, its address marked "after it completes".
  await hq.setNode('secondary', 'stopped');
  await expect(banner).toHaveAttribute('data-kind', 'failover');
  const secondary = (await hq.state()).nodes.find((node) => node.id === 'secondary')!;
  await expect(page.getByTestId('callmanager-after')).toContainText('After the failover completes');
  await expect(page.getByTestId('callmanager-after-address')).toHaveText(secondary.address);
  await expect(page.getByTestId('callmanager-address')).toHaveCount(0);
  await expect(page.getByTestId('hq-active-address')).toHaveText('none');
});

test('site cells match /api/state for every site and service, with a word beside the colour', async ({ page, hq }) => {
  await openLive(page, hq.baseURL);
  await hq.setNode('primary', 'stopped');
  await hq.waitForState((s) => s.hq.state === 'failing-over');

  await expect.poll(async () => ({ ...(await cellsOnPage(page)) })).toEqual(cellsOf(await hq.state()));
  const state = await hq.state();
  expect(Object.keys(await cellsOnPage(page))).toHaveLength(state.sites.length * SERVICE_KEYS.length);

  const down = state.sites.flatMap((site) =>
    SERVICE_KEYS.filter((key) => site.services[key].status === 'down').map((key) => `site-cell-${site.id}-${key}`),
  );
  expect(down.length).toBeGreaterThan(0);
  await expect(page.getByTestId(down[0]!)).toContainText('Down');
});

test('the site matrix explains a cell on keyboard focus and filters to impacted sites', async ({ page, hq }) => {
  await openLive(page, hq.baseURL);
  await hq.setNode('primary', 'stopped');
  await hq.setNode('dvs-boston', 'down');
  const state = await hq.waitForState(
    (s) => s.hq.state === 'failing-over' && s.sites.some((site) => site.id === 'boston' && site.services.telephony.status === 'down'),
  );

  const grid = page.getByRole('grid');
  await grid.focus();
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toBeVisible();
  // Sorted by impact: the first row is a most impacted site; its first cell is telephony.
  const firstSite = await page.locator('[role="grid"] [data-site]').first().getAttribute('data-site');
  const reason = state.sites.find((site) => site.id === firstSite)!.services.telephony.reason!;
  await expect(tooltip).toContainText(reason);

  await page.keyboard.press('ArrowRight');
  const video = state.sites.find((site) => site.id === firstSite)!.services.video.reason!;
  await expect(tooltip).toContainText(video);
  await expect(grid).toHaveAttribute('aria-activedescendant', `cell-${firstSite}-video`);

  await page.getByLabel('Only impacted').check();
  const impacted = state.sites.filter((site) => SERVICE_KEYS.some((key) => site.services[key].status === 'down')).length;
  await expect(page.locator('[role="grid"] [data-site]')).toHaveCount(impacted);
});

test('connection status and theme: always visible, dark theme kept across reloads', async ({ page, hq }) => {
  await openLive(page, hq.baseURL);
  const html = page.locator('html');
  const before = await html.getAttribute('data-theme');
  await page.getByRole('button', { name: before === 'dark' ? 'Dark' : 'Light' }).click();
  const after = before === 'dark' ? 'light' : 'dark';
  await expect(html).toHaveAttribute('data-theme', after);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', after);
  await expect(page.getByTestId('connection-status')).toBeVisible();
});

test('laptop and phone viewports: no horizontal page scroll, banner and state in view', async ({ page, hq }) => {
  await hq.setNode('primary', 'stopped');
  await hq.waitForState((s) => s.hq.state === 'failing-over');
  for (const [name, width, height] of [
    ['laptop-1280x720', 1280, 720],
    ['phone-390x844', 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.goto(hq.baseURL);
    await expect(page.getByTestId('banner')).toBeVisible();
    await expect(page.getByTestId('hq-state')).toBeInViewport();
    await expect(page.getByTestId('connection-status')).toBeInViewport();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  }
});
