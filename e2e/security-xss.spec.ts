// Stored XSS in the dashboard: names from the config and operator notes are shown as text, and
// the Content-Security-Policy (connect-src 'self', no ws: wildcard) still lets the dashboard's
// socket connect. Loopback octet 191: the probes aim there and nothing answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { test, expect } from '@playwright/test';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SITE_NAME = '<img src=x onerror="window.__xss=1">';
const NOTE = '<script>window.__xss=2</script><img src=x onerror="window.__xss=3"> [x](javascript:window.__xss=4)';
const TOKEN = 'e2e-operator-token-of-octet-191';

let child: ChildProcess;
let dir: string;
let base = '';

test.beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-e2e-xss-'));
  const file = path.join(dir, 'hqwatch.yaml');
  writeFileSync(
    file,
    JSON.stringify({
      monitor: { interval: '500ms', timeout: '300ms', failAfter: 2 },
      headquarters: {
        primary: { name: '<b onmouseover="window.__xss=5">HQ primary</b>', address: '127.191.1.10', probes: [{ kind: 'tcp', port: 4308 }] },
        secondary: { name: 'HQ secondary', address: '127.191.2.10', probes: [{ kind: 'tcp', port: 4308 }] },
      },
      sites: [{ id: 'hq', name: SITE_NAME, users: 'hq', voicemail: 'hq' }],
      auth: { anonymous: 'viewer', operatorTokens: [TOKEN] },
    }),
  );
  child = spawn(process.execPath, ['bin/hqwatch.mjs', 'serve', '--config', file, '--port', '0', '--data', path.join(dir, 'data')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start')), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"hqwatch listening"')) return;
      base = (JSON.parse(line) as { url: string }).url;
      clearTimeout(timer);
      resolve();
    });
  });
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a site named <img src=x onerror=…> is shown as text, and the live socket connects under the CSP', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to connect/i.test(msg.text())) violations.push(msg.text());
  });
  await page.goto(base);
  await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live');
  await expect(page.locator('.site-name', { hasText: SITE_NAME })).toBeVisible();
  await expect(page.getByText('<b onmouseover="window.__xss=5">HQ primary</b>').first()).toBeVisible();
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(violations).toEqual([]);
});

test('an operator note with markup is shown as text on the incident page', async ({ page, request }) => {
  // Nothing answers on octet 191: HQ is down from the start, which opens an incident.
  let incidentId = '';
  await expect
    .poll(async () => {
      const state = (await (await request.get(`${base}/api/state`)).json()) as { incident: { id: string } | null };
      incidentId = state.incident?.id ?? '';
      return incidentId;
    })
    .not.toBe('');
  const posted = await request.post(`${base}/api/incidents/${incidentId}/annotations`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    data: { text: NOTE },
  });
  expect(posted.status()).toBe(201);
  await page.goto(`${base}/incidents/${encodeURIComponent(incidentId)}`);
  await expect(page.getByTestId('annotation-text').first()).toHaveText(NOTE);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
});
