import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { test, expect } from '@playwright/test';
import { Harness } from './harness.ts';

/**
 * The demo with `--status-db`: the lab drives a real MariaDB database as ShoreWare's status
 * database and the dashboard shows its switches and services. Skipped with the reason printed
 * when MariaDB is unreachable, failed instead when HQWATCH_REQUIRE_SERVICES=1. Octet 195.
 */
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const ARTIFACTS = 'e2e/artifacts';

async function mariadb(): Promise<Connection | string> {
  try {
    return await createConnection({ ...MARIADB, connectTimeout: 3_000 });
  } catch (err) {
    const reason = `MariaDB is not reachable at ${MARIADB.host}:${MARIADB.port} (${(err as Error).message})`;
    if (process.env.HQWATCH_REQUIRE_SERVICES === '1') throw new Error(`${reason}; HQWATCH_REQUIRE_SERVICES=1 requires it`);
    return reason;
  }
}

test('switches lose communication in a failover and re-home under the secondary; services and contradictions show', async ({ page }) => {
  const admin = await mariadb();
  if (typeof admin === 'string') {
    console.warn(`skipping: ${admin}`);
    test.skip(true, admin);
    return;
  }
  const suffix = randomBytes(4).toString('hex');
  const status = `shorewarestatus_${suffix}`;
  const config = `shoreware_${suffix}`;
  const hq = new Harness({ octet: 195, statusDb: `mysql://root@127.0.0.1:3306/${status}` });
  try {
    await hq.startServer();
    await hq.waitForState((s) => s.hq.state === 'primary-active' && s.statusDb?.status === 'ok' && s.sites[0]?.switches !== undefined);
    await page.goto(hq.baseURL);
    await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');

    // The Switches column, the source line and the services on the server cards.
    await expect(page.getByRole('columnheader', { name: 'Switches' })).toBeVisible();
    await expect(page.getByTestId('statusdb-notice')).toHaveAttribute('data-status', 'ok');
    const hqCell = page.getByTestId('site-switches-hq');
    await expect(hqCell).toHaveText('✓2/2');
    await expect(hqCell).toHaveAttribute('data-code', '110');
    const primary = page.getByTestId('node-primary');
    await expect(primary.getByTestId('service-TMS')).toContainText('Telephony Management Service (TMS)');
    await expect(primary.getByTestId('service-TMS')).toContainText('running');
    await expect(page.getByTestId('node-secondary').getByTestId('service-TMS')).toContainText('stopped');

    // Failover: HQ-managed switches lose communication; a site on a DVS keeps its switches.
    await hq.setNode('primary', 'stopped');
    await expect(hqCell).toHaveAttribute('data-code', '490');
    await expect(hqCell).toHaveText('✕0/2');
    await expect(page.getByTestId('site-switches-boston')).toHaveAttribute('data-code', '110');
    await hqCell.hover();
    await expect(page.getByTestId('switches-detail')).toContainText('0 of 2 switches in service; worst: lost communication (code 490)');
    await page.screenshot({ path: `${ARTIFACTS}/switches-failover.png` });

    // The secondary takes over: the switches re-home, one after another.
    await hq.setNode('secondary', 'serving');
    await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'secondary-active');
    await expect(hqCell).toHaveAttribute('data-code', '110');
    await expect(hqCell).toHaveText('✓2/2');
    await expect(page.getByTestId('node-secondary').getByTestId('service-TMS')).toContainText('running');

    // The database contradicting the rules: Boston's users keep telephony, its switches all at 490.
    await admin.query(
      `UPDATE \`${status}\`.heapswitchstatus st JOIN \`${config}\`.switches sw USING (SwitchID) SET st.Service = 490 WHERE sw.HostName LIKE 'sw-boston-%'`,
    );
    const boston = page.getByTestId('site-switches-boston');
    await expect(boston).toHaveAttribute('data-conflict', 'true');
    await expect(page.getByTestId('site-cell-boston-telephony')).toHaveAttribute('data-status', 'ok');
    await page.mouse.move(0, 0);
    await boston.hover();
    await expect(page.getByTestId('switches-conflict')).toContainText(
      'Reachability says ok; the status database says all 2 switches lost communication',
    );
    await page.screenshot({ path: `${ARTIFACTS}/switches-conflict.png` });

    // The incident view shows the re-homing per site.
    const incident = (await hq.state()).incident!;
    await page.goto(`${hq.baseURL}/incidents/${incident.id}`);
    const rehoming = page.getByTestId('rehoming');
    await expect(rehoming).toBeVisible();
    await expect(rehoming.locator('[data-site="hq"]')).toContainText('all back in service at');
    await expect(rehoming.locator('[data-switch="sw-hq-1"]')).toContainText('lost communication');
    await page.screenshot({ path: `${ARTIFACTS}/switches-rehoming.png`, fullPage: true });
  } finally {
    await hq.dispose();
    await admin.query(`DROP DATABASE IF EXISTS \`${status}\``);
    await admin.query(`DROP DATABASE IF EXISTS \`${config}\``);
    await admin.end();
  }
});
