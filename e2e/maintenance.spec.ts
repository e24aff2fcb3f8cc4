import type { IncidentList } from '@hqwatch/shared';
import { test, expect } from './fixtures.ts';

/**
 * Planned maintenance and alerting as an operator meets them in the dashboard: a window opened on
 * the spot from the Maintenance page is in force, the failover drill inside it is marked planned in
 * the incident list and its review, and the Notifications page shows where alerts go, with a test
 * send refused without the operator token.
 */
test('a drill in a maintenance window opened on the spot is marked planned; the Notifications page lists the channel', async ({
  page,
  hq,
}) => {
  await page.goto(`${hq.baseURL}/maintenance`);
  await page.getByTestId('maintenance-reason').fill('quarterly failover drill');
  await page.getByTestId('maintenance-token').fill(hq.operatorToken);
  await page.getByTestId('maintenance-now-30m').click();
  await expect(page.getByTestId('maintenance-said')).toContainText('Maintenance window open for 30 min');
  await expect(page.getByTestId('maintenance-active')).toContainText('quarterly failover drill');
  await expect(page.getByTestId('maintenance-list')).toContainText('in force');

  await hq.setNode('primary', 'stopped');
  const during = await hq.waitForState((s) => s.hq.window !== null);
  await hq.setNode('primary', 'serving');
  await hq.waitForState((s) => s.incident === null, 30_000);
  const incidentId = during.incident!.id;

  const list = (await (await page.request.get(`${hq.baseURL}/api/incidents`)).json()) as IncidentList;
  expect(list.incidents.find((i) => i.id === incidentId)?.planned).toBe('quarterly failover drill');
  await page.goto(`${hq.baseURL}/incidents`);
  await expect(page.getByTestId(`incident-row-${incidentId}`).getByTestId('incident-planned')).toHaveText('◷Planned');
  await page.goto(`${hq.baseURL}/incidents/${incidentId}`);
  await expect(page.getByTestId('incident-header').getByTestId('incident-planned')).toContainText('quarterly failover drill');

  await page.goto(`${hq.baseURL}/notify`);
  const channel = page.getByTestId('notify-channel-demo-webhook');
  await expect(channel).toContainText('webhook');
  await expect(channel).toContainText('http://127.0.0.1:9099');
  // The token given on the Maintenance page is kept for this tab; without one, no test send.
  await expect(page.getByTestId('notify-token')).toHaveValue(hq.operatorToken);
  await page.getByTestId('notify-token').fill('');
  await expect(page.getByTestId('notify-test-demo-webhook')).toBeDisabled();
  await page.getByTestId('notify-token').fill('not-the-operator-token');
  await page.getByTestId('notify-test-demo-webhook').click();
  await expect(page.getByTestId('notify-said')).toContainText('The operator token was refused');
});
