import { test, expect } from './fixtures.ts';

test('the API page renders every operation of the server’s OpenAPI document, with its access and limits', async ({ page, hq }) => {
  const doc = (await (await page.request.get(`${hq.baseURL}/api/openapi.json`)).json()) as { paths: Record<string, object> };
  const count = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  await page.goto(hq.baseURL);
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'API' }).click();
  await expect(page.getByRole('heading', { name: 'API reference' })).toBeVisible();
  await expect(page.getByTestId('api-operation')).toHaveCount(count);
  const live = page.getByTestId('api-operation').filter({ has: page.locator('code', { hasText: /^\/api\/live$/ }) });
  await expect(live).toContainText('public');
  const incidents = page.getByTestId('api-operation').filter({ has: page.locator('code', { hasText: /^\/api\/incidents$/ }) });
  await expect(incidents.getByRole('row', { name: /limit/ })).toContainText('integer, 1–500, default 50');
});
