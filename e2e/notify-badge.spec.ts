// An alert the receiver refuses, as the operator meets it: the dashboard's header badge says how
// many alerts are undeliverable and leads to the Notifications page, which lists it with the
// receiver's refusal; a retry (the receiver fixed) delivers it and the badge goes.
// Loopback octet 186 (its own demo), and a webhook receiver on 127.0.0.1 refusing the first alert.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Harness } from './harness.ts';
import { expect, test } from './fixtures.ts';

interface Receiver {
  url: string;
  statuses: string[];
  close(): Promise<void>;
}

/** Refuses the first alert for good (400, a hook it does not know), takes the rest. */
async function startReceiver(): Promise<Receiver> {
  const receiver = { statuses: [] as string[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.statuses.push((JSON.parse(Buffer.concat(chunks).toString()) as { status: string }).status);
      const first = receiver.statuses.length === 1;
      res.writeHead(first ? 400 : 200, { 'content-type': 'text/plain' }).end(first ? 'unknown hook' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

test('an alert the receiver refuses shows in the header badge, is listed with why, and is retried', async ({ page }) => {
  const receiver = await startReceiver();
  const hq = new Harness({ octet: 186, notify: receiver.url });
  try {
    await hq.startServer();
    await hq.waitForState((s) => s.hq.state === 'primary-active');
    // The page's clock runs as usual, and the test can move it on to the badge's next look.
    await page.clock.install();
    await page.goto(`${hq.baseURL}/`);
    await expect(page.getByTestId('hq-state')).toBeVisible();
    await expect(page.getByTestId('notify-badge')).toHaveCount(0);

    await hq.setNode('primary', 'stopped');
    await hq.waitForState((s) => s.hq.window !== null);
    // The badge asks every 15 s: it appears without a reload, at its next look after the refusal.
    const badge = page.getByTestId('notify-badge');
    await expect.poll(() => receiver.statuses.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(receiver.statuses[0]).toBe('trigger');
    await expect(async () => {
      await page.clock.runFor(15_000);
      await expect(badge).toHaveText(/1 alert undeliverable/, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });

    await badge.click();
    await expect(page).toHaveURL(/\/notify$/);
    const listed = page.getByTestId('notify-undeliverable');
    await expect(listed).toContainText('demo-webhook');
    await expect(listed).toContainText('trigger window.opened');
    await expect(listed).toContainText('refused: HTTP 400: unknown hook');

    await page.getByTestId('notify-token').fill(hq.operatorToken);
    await listed.getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByTestId('notify-said')).toContainText('Sent again to the outbox.');
    await expect(listed).toHaveCount(0);
    await expect.poll(() => receiver.statuses.filter((s) => s === 'trigger').length, { timeout: 10_000 }).toBe(2);
    await expect(async () => {
      await page.clock.runFor(15_000);
      await expect(badge).toHaveCount(0, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
  } finally {
    await hq.dispose();
    await receiver.close();
  }
});
