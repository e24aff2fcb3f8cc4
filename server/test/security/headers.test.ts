// Security headers on every answer, the socket's included. Loopback octet 34 (scripted probes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { pollingHandshake, pollingSession, rawRequest } from './support.ts';
import type { IncomingHttpHeaders } from 'node:http';

let t: TestApp;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'hqwatch-headers-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  t = await startTestApp(testConfig(34), { runProbe: scriptedProbes().run, clientDir: dir });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectHardened(headers: IncomingHttpHeaders, what: string): void {
  const csp = String(headers['content-security-policy']);
  expect(csp, what).toContain("connect-src 'self'");
  expect(csp, what).not.toMatch(/\bwss?:/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'none'");
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('no-referrer');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(headers['cross-origin-resource-policy'], what).toBe('same-origin');
}

describe('security headers', () => {
  it('are on the dashboard, the API, errors and the metrics', async () => {
    for (const p of ['/', '/incidents/1', '/api/state', '/api/health', '/metrics', '/api/nowhere'])
      expectHardened((await rawRequest(t.url, p)).headers, p);
    expectHardened((await rawRequest(t.url, '/api/state', { headers: { host: 'attacker.example' } })).headers, 'a refused Host');
  });

  it('are on the socket: the handshake, polling reads and writes, refusals and the WebSocket upgrade', async () => {
    const handshake = await rawRequest(t.url, '/socket.io/?EIO=4&transport=polling');
    expectHardened(handshake.headers, 'handshake');
    const opened = await pollingHandshake(t.url);
    if (!('sid' in opened)) throw new Error('handshake refused');
    const session = pollingSession(t.url, opened.sid);
    expectHardened((await session.post('40')).headers, 'polling POST');
    expectHardened((await session.get()).headers, 'polling GET');
    expectHardened(
      (await rawRequest(t.url, '/socket.io/?EIO=4&transport=polling', { headers: { origin: 'https://evil.example' } })).headers,
      'a refused origin',
    );
    expectHardened((await rawRequest(t.url, '/socket.io/?EIO=4&transport=polling&sid=unknown')).headers, 'an unknown session');
    const upgrade = await new Promise<IncomingHttpHeaders>((resolve, reject) => {
      const ws = new WebSocket(`${t.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
      ws.once('upgrade', (res) => {
        resolve(res.headers);
        ws.terminate();
      });
      ws.once('error', reject);
    });
    expectHardened(upgrade, 'the WebSocket upgrade');
  });
});
