import { test, expect } from './fixtures.ts';

test('the dashboard shows the HQ state the API reports', async ({ page, hq }) => {
  await page.goto(hq.baseURL);
  const state = await hq.state();
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', state.hq.state);
});
