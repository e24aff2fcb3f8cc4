// Accounts in Chromium: signing in and out, the admin page, a wall display with a kiosk token
// (the link opened once, then a cookie, the token gone from the address bar) dropping to its
// sign-in screen within a second of being revoked, and the dashboard with anonymous viewers.
// Loopback octets 180–183 (one demo each).
import { request as apiRequest, type APIRequestContext } from '@playwright/test';
import type { KioskCreated } from '@hqwatch/shared';
import { Harness } from './harness.ts';
import { expect, test } from './fixtures.ts';

const ARTIFACTS = 'e2e/artifacts';
const demos: Harness[] = [];
test.afterEach(async () => {
  for (const demo of demos.splice(0)) await demo.dispose();
});

async function demo(octet: number, opts: { loginRequired?: boolean } = {}): Promise<Harness> {
  const harness = new Harness({ octet, ...opts });
  demos.push(harness);
  await harness.startServer();
  await harness.waitForState((s) => s.hq.state === 'primary-active');
  return harness;
}

/** An admin's own API session, apart from the browser's cookies. */
async function adminApi(hq: Harness): Promise<APIRequestContext> {
  const api = await apiRequest.newContext({ baseURL: hq.baseURL });
  const res = await api.post('/api/auth/login', { data: { name: 'admin', password: hq.password('admin') } });
  expect(res.status()).toBe(200);
  return api;
}

test('signing in and out where reading needs a login', async ({ page }) => {
  const hq = await demo(180, { loginRequired: true });
  await page.goto(`${hq.baseURL}/sites`);
  await expect(page.getByTestId('login')).toBeVisible();
  await expect(page.getByTestId('hq-state')).toHaveCount(0);

  await page.getByTestId('login-name').fill('operator');
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText(/Wrong name or password/);
  await page.screenshot({ path: `${ARTIFACTS}/login.png` });

  await page.getByTestId('login-password').fill(hq.password('operator'));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login')).toHaveCount(0);
  await expect(page).toHaveURL(/\/sites$/);
  await expect(page.getByTestId('signed-in-name')).toHaveText('operator (operator)');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
  // The session is a cookie the page's scripts cannot read.
  expect(await page.evaluate(() => document.cookie)).toBe('');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'hqwatch_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  await page.reload();
  await expect(page.getByTestId('signed-in-name')).toHaveText('operator (operator)');
  await page.getByTestId('sign-out').click();
  await expect(page.getByTestId('login')).toBeVisible();
  await expect(page.getByTestId('sign-in')).toBeVisible();
});

test('a wall with a kiosk token: the link once, then a cookie, and the sign-in screen within a second of a revocation', async ({
  page,
}) => {
  const hq = await demo(181, { loginRequired: true });
  const admin = await adminApi(hq);
  const created = (await (await admin.post('/api/admin/kiosks', { data: { name: 'NOC wall 1' } })).json()) as KioskCreated;

  await page.goto(`${hq.baseURL}${created.path}&rotate=30s`);
  // The token left the address bar (and the history) before the page loaded.
  await expect(page).toHaveURL(`${hq.baseURL}/wall?rotate=30s`);
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await page.reload();
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
  const seen = (await (await admin.get('/api/admin/kiosks')).json()) as { name: string; lastSeenAt: string | null }[];
  expect(seen.find((k) => k.name === 'NOC wall 1')?.lastSeenAt).not.toBeNull();

  const revoked = await admin.delete(`/api/admin/kiosks/${encodeURIComponent('NOC wall 1')}`);
  expect(revoked.status()).toBe(204);
  const at = Date.now();
  await expect(page.getByTestId('login')).toBeVisible({ timeout: 1_000 });
  expect(Date.now() - at).toBeLessThan(1_000);
  await expect(page.getByTestId('login')).toContainText('This display is not signed in');
  await page.screenshot({ path: `${ARTIFACTS}/wall-revoked.png` });
  await expect(page.getByTestId('hq-state')).toHaveCount(0);

  // The old link no longer works either: the wall says so.
  await page.goto(`${hq.baseURL}${created.path}`);
  await expect(page).toHaveURL(`${hq.baseURL}/wall?kiosk=refused`);
  await expect(page.getByTestId('kiosk-refused')).toBeVisible();
  await admin.dispose();
});

test('the admin page adds a user and a kiosk display, whose link is shown once', async ({ page }) => {
  const hq = await demo(182, { loginRequired: true });
  await page.goto(`${hq.baseURL}/admin`);
  await page.getByTestId('login-name').fill('admin');
  await page.getByTestId('login-password').fill(hq.password('admin'));
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('users-panel')).toBeVisible();
  await expect(page.locator('[data-user="operator"]')).toBeVisible();

  await page.getByTestId('new-user-name').fill('night-shift');
  await page.getByTestId('new-user-role').selectOption('operator');
  await page.getByTestId('new-user-password').fill('night-shift-password');
  await page.getByTestId('add-user').click();
  await expect(page.locator('[data-user="night-shift"]')).toBeVisible();

  await page.getByTestId('new-kiosk-name').fill('Lobby wall');
  await page.getByTestId('add-kiosk').click();
  const url = await page.getByTestId('kiosk-url').inputValue();
  expect(url).toMatch(new RegExp(`^${hq.baseURL}/wall\\?token=hqk_[A-Za-z0-9_-]{43}$`));
  await expect(page.locator('[data-kiosk="Lobby wall"] [data-testid="kiosk-last-seen"]')).toHaveText('never');
  await page.screenshot({ path: `${ARTIFACTS}/admin.png`, fullPage: true });
  await page.reload();
  await expect(page.getByTestId('kiosk-url')).toHaveCount(0);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByTestId('revoke-Lobby wall').click();
  await expect(page.locator('[data-kiosk="Lobby wall"]')).toHaveCount(0);
  await page.getByTestId('reload-config').click();
  await expect(page.getByTestId('reload-result')).toContainText('not started from a config file');
});

test('with anonymous viewers (the demo), the dashboard needs no login and an operator can still sign in', async ({ page }) => {
  const hq = await demo(183);
  await page.goto(hq.baseURL);
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
  await expect(page.getByTestId('login')).toHaveCount(0);
  await page.getByTestId('sign-in').click();
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByTestId('login-name').fill('operator');
  await page.getByTestId('login-password').fill(hq.password('operator'));
  await page.getByTestId('login-submit').click();
  await expect(page).toHaveURL(`${hq.baseURL}/`);
  await expect(page.getByTestId('signed-in-name')).toHaveText('operator (operator)');
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
});
