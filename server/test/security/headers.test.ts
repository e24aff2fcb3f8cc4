// Security headers on every answer, the socket's included. Loopback octet 34 (scripted probes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testConfig } from '../support/config.ts';
import { scriptedProbes } from '../support/fake-probes.ts';
import { pollingHandshake, pollingSession, rawRequest, rawWebSocket, CONNECT_PACKET } from './support.ts';
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
    expectHardened((await session.post(CONNECT_PACKET)).headers, 'polling POST');
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

/** A WebSocket upgrade the server is expected to refuse: its status and headers. */
function refusedUpgrade(base: string, headers: Record<string, string>, localAddress: string) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers, localAddress });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('error', reject);
  });
}

describe('a refused WebSocket upgrade', () => {
  it('answers its real status — 429 with Retry-After past the handshake budget, 403 for a foreign Origin — with the security headers', async () => {
    // Two new sessions per address, then one every 20 s.
    const limited = await startTestApp(testConfig(34), {
      runProbe: scriptedProbes().run,
      limits: { socket: { handshakes: { perSecond: 0.05, burst: 2 } } },
    });
    try {
      const from = '127.34.9.1';
      for (let i = 0; i < 2; i++) expect('sid' in (await pollingHandshake(limited.url, {}, '', from))).toBe(true);
      const overBudget = await refusedUpgrade(limited.url, {}, from);
      expect(overBudget.status).toBe(429);
      expect(Number(overBudget.headers['retry-after'])).toBeGreaterThan(10);
      expect(overBudget.body).toContain('too many new sessions');
      expectHardened(overBudget.headers, 'an upgrade over the handshake budget');
      // Polling answers the same.
      const polling = await rawRequest(limited.url, '/socket.io/?EIO=4&transport=polling', { localAddress: from });
      expect(polling.status).toBe(429);
      expect(Number(polling.headers['retry-after'])).toBeGreaterThan(10);

      const foreign = await refusedUpgrade(limited.url, { origin: 'https://evil.example' }, '127.34.9.2');
      expect(foreign.status).toBe(403);
      expect(foreign.headers['retry-after']).toBeUndefined();
      expectHardened(foreign.headers, 'an upgrade from a foreign Origin');
      // Another address still opens a socket.
      (await rawWebSocket(limited.url, { localAddress: '127.34.9.3' })).close();
    } finally {
      await limited.close();
    }
  });
});
