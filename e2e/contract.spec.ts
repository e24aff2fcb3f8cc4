import { test, expect } from './fixtures.ts';

test('a dashboard of another contract version is told so at the handshake and reloads itself', async ({ page, hq }) => {
  const fromServer: string[] = [];
  let claimedOlder = 0;
  let loads = 0;
  page.on('load', () => (loads += 1));
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    // The first page load's socket.io CONNECT packet claims the contract of an older build.
    ws.onMessage((message) => {
      if (claimedOlder === 0 && typeof message === 'string' && message.startsWith('40')) {
        claimedOlder += 1;
        server.send(message.replace(/"contractVersion":\d+/, '"contractVersion":1'));
      } else server.send(message);
    });
    server.onMessage((message) => {
      if (typeof message === 'string') fromServer.push(message);
      ws.send(message);
    });
  });
  await page.goto(hq.baseURL);
  // The server refused it, saying which version it speaks; the page loaded again and went live.
  await expect.poll(() => loads).toBe(2);
  expect(claimedOlder).toBe(1);
  expect(fromServer).toContainEqual(expect.stringMatching(/^44\{"message":"contract-mismatch","data":\{"contractVersion":\d+\}\}$/));
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
  await expect(page.getByTestId('hq-state')).toHaveAttribute('data-state', 'primary-active');
});
