// The status page for users, in Chromium, during the demo's failover: the losses of a site homed
// on HQ, then the address to type once the secondary is active — live with JavaScript, and with
// JavaScript disabled still the current facts on each load. Each test has its own demo (fixture).
import { test, expect } from './fixtures.ts';

const ARTIFACTS = 'e2e/artifacts';

test('during a failover /status/seattle shows the losses, then the address to type once the secondary is active (live)', async ({
  page,
  hq,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${hq.baseURL}/status/seattle`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Seattle');
  await expect(page.locator('.headline')).toHaveText('Everything works at Seattle.');
  await expect(page.locator('#live')).toHaveText('Updates live');
  const landmarks = { main: page.getByRole('main'), banner: page.getByRole('banner'), footer: page.getByRole('contentinfo') };
  for (const landmark of Object.values(landmarks)) await expect(landmark).toHaveCount(1);

  await hq.setNode('primary', 'stopped');
  const failing = await hq.waitForState((s) => s.hq.state === 'failing-over');
  // No reload: the page hears of it.
  await expect(page.locator('.headline')).toHaveText('Some phone services at Seattle are unavailable.');
  const callManager = page.locator('li.svc', { hasText: 'Call Manager' });
  // The demo plays a minute in a second: the vendor's 5–20 minutes are 5–20 seconds here.
  await expect(callManager).toContainText(/phone and video calls unavailable until about \d\d:\d\d \(typically 5–20 s\)/);
  await expect(page.locator('li.svc', { hasText: 'Voicemail' })).toContainText('unavailable');
  await expect(page.locator('li.svc', { hasText: 'Calls to other offices' })).toContainText('unavailable');
  await expect(page.locator('li.svc', { hasText: 'Instant messages' })).toContainText('working');
  await expect(page.getByRole('region', { name: 'What to do' })).toContainText(`server address ${failing.hq.targetAddress}`);
  await page.screenshot({ path: `${ARTIFACTS}/status-failing-over.png`, fullPage: true });

  await hq.setNode('secondary', 'serving');
  const active = await hq.waitForState((s) => s.hq.state === 'secondary-active');
  const address = active.hq.activeAddress!;
  await expect(page.getByRole('region', { name: 'What to do' })).toContainText(
    `When you log in to Call Manager, enter server address ${address}.`,
  );
  await expect(page.locator('.headline')).toHaveText('Everything works at Seattle.');
  // The copy button puts exactly the address on the clipboard.
  await page.getByRole('button', { name: `Copy ${address}` }).click();
  await expect(page.getByRole('button', { name: `Copy ${address}` })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(address);
  // The failover is in the site's history by now.
  await expect(page.getByRole('region', { name: 'Last 7 days' })).toContainText('Call Manager, Voicemail, Calls to other offices', {
    timeout: 20_000,
  });
  // Mobile first: nothing overflows sideways on a phone.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${ARTIFACTS}/status-secondary-active.png`, fullPage: true });
});

test('with JavaScript disabled the page still shows the current facts, and reloads itself', async ({ browser, hq }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${hq.baseURL}/status/seattle`);
    await expect(page.locator('.headline')).toHaveText('Everything works at Seattle.');
    const refresh = await page.locator('noscript').first().innerHTML();
    expect(refresh).toContain('http-equiv="refresh"');

    await hq.setNode('primary', 'stopped');
    await hq.waitForState((s) => s.hq.state === 'failing-over');
    await page.reload();
    await expect(page.locator('li.svc', { hasText: 'Call Manager' })).toContainText(/unavailable until about \d\d:\d\d/);
    await expect(page.getByRole('button', { name: /^Copy/ })).toHaveCount(0);

    await hq.setNode('secondary', 'serving');
    const active = await hq.waitForState((s) => s.hq.state === 'secondary-active');
    await page.reload();
    await expect(page.getByRole('region', { name: 'What to do' })).toContainText(
      `When you log in to Call Manager, enter server address ${active.hq.activeAddress}.`,
    );

    // The index's search is a plain GET form.
    await page.goto(`${hq.baseURL}/status`);
    await page.getByLabel('Find a site').fill('sea');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/\/status\?q=sea$/);
    await expect(page.getByRole('main').getByRole('link')).toHaveText(['Seattle']);
  } finally {
    await context.close();
  }
});
